import { normalizePhone } from './phone.ts';
import type { ArchiveReason, Classification } from './report.ts';
import { normalizeTrackingId } from './tracking-id.ts';
import type { Status } from './workflow.ts';

/**
 * Open311 GeoReport v2 (issue 11 §6, http://wiki.open311.org/GeoReport_v2): the rules that need
 * no database. A service request posted by an app is read here into what a report needs, and the
 * filters of a request list are read here too; both refuse what they cannot use, each field
 * named, so that the API answers a 400 in the spec's error format and never files half a request.
 */

export const GEOREPORT_V2 = 'http://wiki.open311.org/GeoReport_v2';

/** A form as it decodes: one value per name, or several for a repeated name. */
export type FormFields = Record<string, string | string[]>;

export interface FieldError {
  /** The parameter, as the client named it: `lat`, `attribute[incident_date]`. */
  field: string;
  message: string;
}

// ---- statuses ----

export type Open311Status = 'open' | 'closed';

/** A report is closed to Open311 once it is done with: accepted or closed, or archived (with a reason). */
export function open311Status(status: Status): Open311Status {
  return status === 'closed' || status === 'archived' ? 'closed' : 'open';
}

/** Our statuses behind each Open311 status, for a list's filter. */
export const STATUSES_OF: Record<Open311Status, readonly Status[]> = {
  open: ['submitted', 'on_hold', 'dispositioned', 'in_progress', 'answered'],
  closed: ['closed', 'archived'],
};

export const ARCHIVE_REASON_LABELS: Record<ArchiveReason, { id: string; en: string }> = {
  duplicate: { id: 'duplikat', en: 'duplicate' },
  incomplete: { id: 'tidak lengkap', en: 'incomplete' },
  not_public_service: { id: 'bukan pelayanan publik', en: 'not about a public service' },
  spam_hoax: { id: 'spam atau hoaks', en: 'spam or hoax' },
  abusive: { id: 'kasar atau menyerang', en: 'abusive' },
};

// ---- the attributes every service asks for ----

export interface AttributeDefinition {
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  description: string;
  datatypeDescription: string | null;
  order: number;
  values: { key: string; name: string }[];
}

const YES_NO = [
  { key: 'false', name: 'Tidak / No' },
  { key: 'true', name: 'Ya / Yes' },
];

/**
 * What a report has that GeoReport does not: its kind, a title, the incident's date, and the
 * reporter's choice to hide their identity (anonim) or the whole report (rahasia). Each is
 * optional, with the default a web form would have.
 */
export const SERVICE_ATTRIBUTES: readonly AttributeDefinition[] = [
  {
    code: 'classification',
    datatype: 'singlevaluelist',
    required: false,
    description: 'Jenis laporan; pengaduan bila tidak diisi / The kind of report; a complaint when left out',
    datatypeDescription: null,
    order: 1,
    values: [
      { key: 'pengaduan', name: 'Pengaduan / Complaint' },
      { key: 'aspirasi', name: 'Aspirasi / Suggestion' },
      { key: 'permintaan_informasi', name: 'Permintaan informasi / Information request' },
    ],
  },
  {
    code: 'title',
    datatype: 'string',
    required: false,
    description:
      'Judul singkat; bila tidak diisi, kalimat pertama uraian / A short title; the first sentence of the description when left out',
    datatypeDescription: '5–200 karakter / characters',
    order: 2,
    values: [],
  },
  {
    code: 'incident_date',
    datatype: 'datetime',
    required: false,
    description:
      'Tanggal kejadian, tidak di masa depan; hari ini bila tidak diisi / The date of the incident, not in the future; today when left out',
    datatypeDescription: 'YYYY-MM-DD, atau waktu ISO 8601 (tanggalnya yang dipakai) / or an ISO 8601 time (its date is taken)',
    order: 3,
    values: [],
  },
  {
    code: 'anonymous',
    datatype: 'singlevaluelist',
    required: false,
    description:
      'Anonim: identitas pelapor tidak ditampilkan kepada publik maupun instansi / Anonymous: the reporter is hidden from the public and from the bodies handling it',
    datatypeDescription: null,
    order: 4,
    values: YES_NO,
  },
  {
    code: 'secret',
    datatype: 'singlevaluelist',
    required: false,
    description: 'Rahasia: seluruh laporan tidak tampil untuk publik / Secret: the whole report is hidden from the public',
    datatypeDescription: null,
    order: 5,
    values: YES_NO,
  },
];

// ---- POST requests ----

export interface ServiceRequest {
  serviceCode: string;
  latitude: number | null;
  longitude: number | null;
  addressString: string | null;
  /** A Kemendagri region code (our addressing system): `61.71.01.1001`. */
  addressId: string | null;
  email: string | null;
  deviceId: string | null;
  accountId: string | null;
  firstName: string | null;
  lastName: string | null;
  /** +62… for an Indonesian number, else + and its digits. */
  phone: string | null;
  description: string;
  mediaUrl: string | null;
  classification: Classification;
  title: string | null;
  /** YYYY-MM-DD as the client wrote it; null: the day it arrived. */
  incidentDate: string | null;
  anonymous: boolean;
  secret: boolean;
}

export const DESCRIPTION_MIN = 20;
/** The spec's limit for a description. */
export const DESCRIPTION_MAX = 4000;

const REGION_CODE = /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:".]+$/;
const W3_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const W3_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const ATTRIBUTE = /^attribute\[([^[\]]+)\](\[\])?$/;

/** Whether Y-M-D is a date on the calendar (no 2026-02-30). */
function isCalendarDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The date an ISO 8601 date or datetime names, as written (its own offset's day), or null. */
export function dateOf(value: string): string | null {
  const m = W3_DATE.exec(value) ?? W3_DATETIME.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isCalendarDate(y, mo, d)) return null;
  if (m.length > 4 && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[7] ?? 0) > 59)) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/**
 * An instant in the spec's w3 format, with its time zone (`2010-01-01T00:00:00Z`,
 * `2026-11-24T10:00:00+07:00`); a date alone is the start of that day in WIB, the national time.
 */
export function parseW3Instant(value: string): Date | null {
  const day = dateOf(value);
  if (!day) return null;
  const text = W3_DATE.test(value) ? `${value}T00:00:00+07:00` : value;
  const t = Date.parse(text);
  return Number.isFinite(t) ? new Date(t) : null;
}

class FieldReader {
  readonly errors: FieldError[] = [];
  private readonly fields: FormFields;
  constructor(fields: FormFields) {
    this.fields = fields;
  }

  fail(field: string, message: string): null {
    if (!this.errors.some((e) => e.field === field)) this.errors.push({ field, message });
    return null;
  }

  /** One value, trimmed; empty is absent (the spec's "optional"). */
  one(field: string, max: number): string | null {
    const raw = this.fields[field];
    if (raw === undefined) return null;
    if (Array.isArray(raw)) {
      const given = raw.filter((v) => v.trim() !== '');
      if (given.length > 1) return this.fail(field, `${field}: hanya satu nilai / only one value`);
      return this.check(field, given[0] ?? '', max);
    }
    return this.check(field, raw, max);
  }

  private check(field: string, raw: string, max: number): string | null {
    const value = raw.trim();
    if (value === '') return null;
    if ([...value].length > max) return this.fail(field, `${field}: paling banyak ${max} karakter / at most ${max} characters`);
    return value;
  }
}

/**
 * Reads a POST Service Request. Required: service_code, a description (a report needs its
 * words), and a location: lat and long, address_string, or address_id (a region code). The rest
 * is optional; each value is checked for what it must be, never trusted.
 */
export function parseServiceRequest(fields: FormFields): { request: ServiceRequest; errors: [] } | { request: null; errors: FieldError[] } {
  const f = new FieldReader(fields);
  const serviceCode = f.one('service_code', 200);
  if (serviceCode === null) f.fail('service_code', 'service_code wajib diisi / service_code is required');

  const lat = f.one('lat', 40);
  const long = f.one('long', 40);
  let latitude: number | null = null;
  let longitude: number | null = null;
  if (lat !== null || long !== null) {
    if (lat === null || long === null) f.fail(lat === null ? 'lat' : 'long', 'lat dan long dikirim bersama / lat and long go together');
    if (lat !== null) {
      latitude = DECIMAL.test(lat) ? Number(lat) : Number.NaN;
      if (!(latitude >= -90 && latitude <= 90)) f.fail('lat', 'lat: lintang −90 sampai 90 / latitude from −90 to 90');
    }
    if (long !== null) {
      longitude = DECIMAL.test(long) ? Number(long) : Number.NaN;
      if (!(longitude >= -180 && longitude <= 180)) f.fail('long', 'long: bujur −180 sampai 180 / longitude from −180 to 180');
    }
  }
  const addressString = f.one('address_string', 500);
  const addressId = f.one('address_id', 20);
  if (addressId !== null && !REGION_CODE.test(addressId)) {
    f.fail('address_id', 'address_id: kode wilayah Kemendagri, mis. 61.71.01 / a Kemendagri region code, e.g. 61.71.01');
  }
  if (lat === null && long === null && addressString === null && addressId === null) {
    f.fail(
      'location',
      'Lokasi wajib: lat dan long, address_string atau address_id / A location is required: lat and long, address_string or address_id',
    );
  }

  const email = f.one('email', 254);
  if (email !== null && !EMAIL.test(email)) f.fail('email', 'email tidak valid / invalid email');
  const phoneRaw = f.one('phone', 30);
  let phone: string | null = null;
  if (phoneRaw !== null) {
    const digits = phoneRaw.replace(/[\s\-().]/g, '');
    phone = normalizePhone(phoneRaw) ?? (/^\+?\d{3,20}$/.test(digits) ? `+${digits.replace(/^\+/, '').replace(/^00/, '')}` : null);
    if (phone === null) f.fail('phone', 'phone: nomor telepon tidak valid / invalid phone number');
  }
  const deviceId = f.one('device_id', 200);
  const accountId = f.one('account_id', 200);
  const firstName = f.one('first_name', 100);
  const lastName = f.one('last_name', 100);

  const description = f.one('description', DESCRIPTION_MAX);
  if (description === null) f.fail('description', 'description wajib diisi / description is required');
  else if ([...description].length < DESCRIPTION_MIN) {
    f.fail('description', `description: paling sedikit ${DESCRIPTION_MIN} karakter / at least ${DESCRIPTION_MIN} characters`);
  }
  const mediaUrl = f.one('media_url', 2000);
  if (mediaUrl !== null && !isHttpUrl(mediaUrl)) f.fail('media_url', 'media_url: alamat http(s) / an http(s) URL');

  const attributes = readAttributes(fields, f);
  if (f.errors.length > 0) return { request: null, errors: f.errors };
  return {
    request: {
      serviceCode: serviceCode!,
      latitude: lat !== null && long !== null ? latitude : null,
      longitude: lat !== null && long !== null ? longitude : null,
      addressString,
      addressId,
      email: email?.toLowerCase() ?? null,
      deviceId,
      accountId,
      firstName,
      lastName,
      phone,
      description: description!,
      mediaUrl,
      ...attributes,
    },
    errors: [],
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

type Attributes = Pick<ServiceRequest, 'classification' | 'title' | 'incidentDate' | 'anonymous' | 'secret'>;

function readAttributes(fields: FormFields, f: FieldReader): Attributes {
  const out: Attributes = { classification: 'pengaduan', title: null, incidentDate: null, anonymous: false, secret: false };
  const byCode = new Map(SERVICE_ATTRIBUTES.map((a) => [a.code, a]));
  for (const name of Object.keys(fields)) {
    const match = ATTRIBUTE.exec(name);
    if (!match) continue;
    const definition = byCode.get(match[1]!);
    if (!definition) {
      f.fail(name, `${name}: atribut tidak dikenal / unknown attribute; see GET services/{service_code}`);
      continue;
    }
    const value = f.one(name, 200);
    if (value === null) continue;
    if (definition.values.length > 0 && !definition.values.some((v) => v.key === value)) {
      f.fail(name, `${name}: salah satu dari / one of ${definition.values.map((v) => v.key).join(', ')}`);
      continue;
    }
    switch (definition.code) {
      case 'classification':
        out.classification = value as Classification;
        break;
      case 'title':
        if ([...value].length < 5) f.fail(name, `${name}: paling sedikit 5 karakter / at least 5 characters`);
        out.title = value;
        break;
      case 'incident_date':
        out.incidentDate = dateOf(value);
        if (out.incidentDate === null) f.fail(name, `${name}: tanggal YYYY-MM-DD / a date, YYYY-MM-DD`);
        break;
      case 'anonymous':
        out.anonymous = value === 'true';
        break;
      case 'secret':
        out.secret = value === 'true';
        break;
    }
  }
  return out;
}

/**
 * Who the citizen is to the app that sent the request, by the most stable thing it says: the
 * app's own account, then email, phone, device. Scoped to the app's key: what one app says of
 * an address proves nothing of it, so two apps never make one person of their users. Null when
 * the request names nobody.
 */
export function reporterHandle(keyName: string, r: ServiceRequest): string | null {
  if (r.accountId) return `${keyName}/account:${r.accountId}`;
  if (r.email) return `${keyName}/email:${r.email}`;
  if (r.phone) return `${keyName}/phone:${r.phone}`;
  if (r.deviceId) return `${keyName}/device:${r.deviceId}`;
  return null;
}

/** The reporter's name as the request gives it, or null. */
export function reporterName(r: ServiceRequest): string | null {
  const name = [r.firstName, r.lastName].filter(Boolean).join(' ').replace(/\s+/g, ' ').trim();
  return name === '' ? null : name.slice(0, 200);
}

// ---- GET requests ----

/** The spec's longest span for a list, and its default: the most recent 90 days. */
export const LIST_SPAN_DAYS = 90;
/** The spec's default limit of a list. */
export const LIST_LIMIT = 1000;
/** The most IDs one list asks for. */
export const MAX_LISTED_IDS = 100;

export interface RequestFilters {
  /** service_request_id: these tracking IDs, and no other filter. */
  ids: string[] | null;
  serviceCodes: string[] | null;
  start: Date;
  end: Date;
  statuses: Open311Status[] | null;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/**
 * Reads the filters of GET requests: service_request_id (a comma list, which overrides every
 * other filter), service_code and status (comma lists), and start_date / end_date in w3 format,
 * at most 90 days apart; without dates, the most recent 90 days.
 */
export function parseRequestFilters(
  query: Record<string, string | undefined>,
  now: Date,
): { filters: RequestFilters; errors: [] } | { filters: null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const idsGiven = list(query.service_request_id);
  if (idsGiven.length > MAX_LISTED_IDS) {
    errors.push({
      field: 'service_request_id',
      message: `service_request_id: paling banyak ${MAX_LISTED_IDS} / at most ${MAX_LISTED_IDS}`,
    });
  }
  const statuses = list(query.status);
  for (const s of statuses) {
    if (s !== 'open' && s !== 'closed') errors.push({ field: 'status', message: 'status: open atau closed / open or closed' });
  }
  const serviceCodes = list(query.service_code);
  if (serviceCodes.some((c) => c.length > 200)) errors.push({ field: 'service_code', message: 'service_code terlalu panjang / too long' });
  const instant = (field: 'start_date' | 'end_date') => {
    const raw = query[field]?.trim();
    if (!raw) return null;
    const parsed = parseW3Instant(raw);
    if (!parsed)
      errors.push({ field, message: `${field}: format w3, mis. 2026-11-01T00:00:00+07:00 / w3 format, e.g. 2026-11-01T00:00:00Z` });
    return parsed;
  };
  const startGiven = instant('start_date');
  const endGiven = instant('end_date');
  const span = LIST_SPAN_DAYS * 86_400_000;
  const end = endGiven ?? (startGiven ? new Date(startGiven.getTime() + span) : now);
  const start = startGiven ?? new Date(end.getTime() - span);
  if (errors.length === 0 && start.getTime() > end.getTime()) {
    errors.push({ field: 'end_date', message: 'end_date sebelum start_date / end_date is before start_date' });
  } else if (errors.length === 0 && end.getTime() - start.getTime() > span) {
    errors.push({
      field: 'end_date',
      message: `Rentang paling lama ${LIST_SPAN_DAYS} hari / The range may span at most ${LIST_SPAN_DAYS} days`,
    });
  }
  if (errors.length > 0) return { filters: null, errors };
  const ids = idsGiven.map((id) => normalizeTrackingId(id)).filter((id): id is string => id !== null);
  return {
    filters: {
      ids: idsGiven.length > 0 ? [...new Set(ids)] : null,
      serviceCodes: serviceCodes.length > 0 ? [...new Set(serviceCodes)] : null,
      start,
      end,
      statuses: statuses.length > 0 ? [...new Set(statuses as Open311Status[])] : null,
    },
    errors: [],
  };
}

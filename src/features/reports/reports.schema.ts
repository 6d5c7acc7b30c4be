import { z } from '@hono/zod-openapi';
import { OMBUDSMAN_ACTIONS } from '../../domain/ombudsman.ts';
import { ACTIONS, STATUSES } from '../../domain/workflow.ts';
import { pagingQuery } from '../../http/openapi.ts';

import { ARCHIVE_REASONS, CHANNELS, CLASSIFICATIONS } from '../../domain/report.ts';

const REQUIRED = 'Wajib diisi / Required';
/**
 * "Required" only when the field is missing, "must be text" only for another type; every other
 * problem (too long, too short) gets the global bilingual message that says so.
 */
const textError = (iss: { code?: string; input?: unknown }) =>
  iss.code !== 'invalid_type' ? undefined : iss.input === undefined ? REQUIRED : 'Harus berupa teks / Must be text';
const regionCode = z
  .string()
  .regex(
    /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/,
    'Kode wilayah Kemendagri, mis. 61.71.01.1001 / Kemendagri region code, e.g. 61.71.01.1001',
  );
// PostgreSQL stores no year 0; nothing in this system happened before 1900.
const isoDate = z.iso
  .date('Tanggal ISO, mis. 2026-11-20 / ISO date, e.g. 2026-11-20')
  .refine((v) => v >= '1900-01-01', 'Tanggal terlalu lampau / Date too far in the past');

/** The fields of a new report, as JSON. Multipart forms send the same names as text fields. */
export const SubmitReportSchema = z
  .strictObject({
    classification: z.enum(CLASSIFICATIONS).default('pengaduan'),
    title: z.string({ error: textError }).trim().min(5, 'Minimal 5 karakter / At least 5 characters').max(200),
    body: z.string({ error: textError }).trim().min(20, 'Minimal 20 karakter / At least 20 characters').max(10_000),
    incidentDate: isoDate,
    regionCode: regionCode.optional().nullable(),
    latitude: z.number().min(-90).max(90).optional().nullable(),
    longitude: z.number().min(-180).max(180).optional().nullable(),
    categoryId: z.number().int().positive().optional().nullable(),
    suggestedBodyId: z.number().int().positive().optional().nullable(),
    anonymous: z.boolean().default(false),
    secret: z.boolean().default(false),
    channel: z.enum(['web', 'mobile']).default('web'),
  })
  .refine((v) => (v.latitude == null) === (v.longitude == null), {
    message: 'Isi lintang dan bujur bersama / Give latitude and longitude together',
    path: ['longitude'],
  })
  .openapi('SubmitReport');

const formBoolean = z
  .enum(['true', 'false', 'on', 'off', '1', '0'], { error: 'true atau false / true or false' })
  .transform((v) => v === 'true' || v === 'on' || v === '1');
const formNumber = z
  .string()
  .trim()
  .transform((v, ctx) => {
    if (v === '') return null;
    const n = Number(v);
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: 'Harus angka / Must be a number' });
      return z.NEVER;
    }
    return n;
  });

/** Files as they arrive in a multipart form: one File, or several under the same name. */
export const FilesField = z
  .union([z.instanceof(File), z.array(z.instanceof(File))])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .openapi({ type: 'array', items: { type: 'string', format: 'binary' } });

/** The same report as an HTML form would post it: text fields plus `attachments` files. */
export const SubmitReportFormSchema = z
  .strictObject({
    classification: z.enum(CLASSIFICATIONS).default('pengaduan'),
    title: z.string({ error: textError }),
    body: z.string({ error: textError }),
    incidentDate: z.string({ error: textError }),
    regionCode: z.string().optional(),
    latitude: formNumber.optional(),
    longitude: formNumber.optional(),
    categoryId: formNumber.optional(),
    suggestedBodyId: formNumber.optional(),
    anonymous: formBoolean.optional(),
    secret: formBoolean.optional(),
    channel: z.enum(['web', 'mobile']).optional(),
    attachments: FilesField,
  })
  .openapi('SubmitReportForm');

export const TrackingIdParam = z.object({
  trackingId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'trackingId', in: 'path' }, example: '7KMX3PRA' }),
});

const Named = z.object({ id: z.number().int(), name: z.string() });

const AttachmentSchema = z
  .object({
    id: z.number().int(),
    fileName: z.string().openapi({
      description: 'The original name for the reporter only; everyone else reads a neutral `lampiran-N.<ext>` (the download says the same)',
    }),
    mediaType: z.string(),
    sizeBytes: z.number().int(),
    url: z.string(),
  })
  .openapi('Attachment');

/** The Ombudsman's handling of an escalated report; a flag beside the lifecycle state, never a state. */
const OmbudsmanCaseSchema = z
  .object({
    escalatedAt: z.string(),
    office: Named.nullable().openapi({ description: 'The Ombudsman office it was escalated to' }),
    takenAt: z.string().nullable(),
    officer: z.string().nullable().openapi({ description: 'Who took it over; a name for staff, overseers and national admins only' }),
    findings: z.string().nullable().openapi({ description: 'For the parties, staff and overseers; for the public once closed' }),
    recommendation: z.string().nullable().openapi({ description: 'For the parties, staff and overseers; for the public once closed' }),
    closedAt: z.string().nullable(),
  })
  .openapi('OmbudsmanCase');

export const ReportSchema = z
  .object({
    trackingId: z.string(),
    classification: z.enum(CLASSIFICATIONS),
    title: z.string(),
    body: z.string(),
    incidentDate: z.string(),
    status: z.enum(STATUSES),
    statusLabel: z.object({ id: z.string(), en: z.string() }),
    location: z.object({
      regionCode: z.string().nullable(),
      regionName: z.string().nullable(),
      latitude: z.number().nullable(),
      longitude: z.number().nullable(),
    }),
    category: z.object({ id: z.number().int(), code: z.string(), name: z.string(), nameEn: z.string() }).nullable(),
    suggestedBody: Named.nullable(),
    responsibleBody: Named.nullable().openapi({ description: 'The responsible body (instansi)' }),
    unit: Named.nullable(),
    anonymous: z.boolean(),
    secret: z.boolean(),
    resolutionClass: z.number().int().nullable(),
    archiveReason: z.enum(ARCHIVE_REASONS).nullable(),
    duplicateOf: z.string().nullable(),
    channel: z.enum(CHANNELS),
    channelMessage: z
      .record(z.string(), z.string())
      .optional()
      .openapi({ description: 'The raw message it came from (reporter and national admins; never for anonymous reports)' }),
    reporter: z
      .object({ name: z.string(), email: z.string().nullable().optional(), phone: z.string().nullable().optional() })
      .nullable()
      .openapi({ description: 'Null when the report is anonymous (except to the reporter)' }),
    rating: z.number().int().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    verifiedAt: z.string().nullable(),
    answeredAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    escalatedAt: z.string().nullable(),
    ombudsman: OmbudsmanCaseSchema.nullable().openapi({ description: 'Null until the report is escalated to the Ombudsman' }),
    archiveRequest: z
      .object({
        reason: z.enum(ARCHIVE_REASONS),
        requestedAt: z.string(),
        bodyId: z.number().int().nullable(),
        message: z.string().nullable(),
      })
      .nullable()
      .openapi({
        description:
          'Staff only: a body’s request to archive the report, waiting for a national admin (`confirm_archive` or `reject_archive`)',
      }),
    appeal: z
      .object({ appealedAt: z.string(), decidedAt: z.string().nullable() })
      .nullable()
      .openapi({ description: 'The reporter’s appeal of the archive (once), for the reporter and staff; decided by a national admin' }),
    attachments: z.array(AttachmentSchema),
    availableActions: z.array(z.enum([...ACTIONS, ...OMBUDSMAN_ACTIONS])).openapi({
      description: 'What this caller can do to this report now (role, scope and state); the Ombudsman’s steps are `ombudsman_*`',
    }),
  })
  .openapi('Report');

export const ReportListSchema = z
  .object({ items: z.array(ReportSchema), total: z.number().int(), page: z.number().int(), perPage: z.number().int() })
  .openapi('ReportList');

export const TimelineEventSchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    type: z.string(),
    actor: z.object({ role: z.string(), name: z.string().nullable(), body: Named.nullable() }),
    visibility: z.enum(['public', 'reporter', 'staff', 'national']),
    fromStatus: z.string().nullable(),
    toStatus: z.string().nullable(),
    message: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('TimelineEvent');

export const ListQuerySchema = z.strictObject({
  q: z.string().trim().max(200).optional().openapi({ description: 'Keyword(s) or a tracking ID' }),
  regionCode: regionCode.optional().openapi({ description: 'A region and everything inside it' }),
  bodyId: z.coerce.number().int().positive().optional(),
  categoryId: z.coerce.number().int().positive().optional().openapi({ description: 'A category and its children' }),
  classification: z.enum(CLASSIFICATIONS).optional(),
  status: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.split(',').every((s) => (STATUSES as readonly string[]).includes(s)), {
      message: `Salah satu dari / One or more of: ${STATUSES.join(', ')}`,
    })
    .openapi({ description: 'Comma-separated statuses' }),
  from: isoDate.optional().openapi({ description: 'Filed on or after this date' }),
  to: isoDate.optional().openapi({ description: 'Filed on or before this date' }),
  ...pagingQuery,
});

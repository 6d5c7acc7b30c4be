import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import { CLASSIFICATIONS } from '../domain/report.ts';
import { localDate } from '../domain/calendar.ts';
import { latestIndonesianDate } from '../domain/dates.ts';
import { AppError } from '../errors.ts';
import { listBodies, listCategories, listRegions } from '../features/reference/reference.service.ts';
import { SubmitReportSchema } from '../features/reports/reports.schema.ts';
import { type SubmitInput, submitReport } from '../features/reports/reports.service.ts';
import type { App, AppDeps, AppEnv } from '../http/context.ts';
import { parseInput } from '../http/errors.ts';
import { fieldErrors, readForm } from './forms.ts';
import { type Lang, bi, langOf, pick } from './i18n.ts';
import { respond } from './layout.ts';
import { mapButton, mapPanel } from './map.ts';
import { type Choice, field, formError, half, select } from './ui.ts';
import { CLASSIFICATION_WORDS, dateWords } from './words.ts';

/**
 * Filing a report with plain forms, in two steps: the report (location chosen level by level,
 * each level's list filled by the server when "Tampilkan" is pressed), then a review that names
 * who will receive it and takes the photos and documents. Without JavaScript every step is a
 * form post; with it, the lists fill as a level is chosen (the island in assets/).
 */

const LEVELS = ['province', 'regency', 'district', 'village'] as const;
type Level = (typeof LEVELS)[number];

interface Draft {
  classification: string;
  title: string;
  body: string;
  incidentDate: string;
  province: string;
  regency: string;
  district: string;
  village: string;
  categoryId: string;
  suggestedBodyId: string;
  latitude: string;
  longitude: string;
  anonymous: boolean;
  secret: boolean;
}

const EMPTY: Draft = {
  classification: 'pengaduan',
  title: '',
  body: '',
  incidentDate: '',
  province: '',
  regency: '',
  district: '',
  village: '',
  categoryId: '',
  suggestedBodyId: '',
  latitude: '',
  longitude: '',
  anonymous: false,
  secret: false,
};

/** The draft as posted, each region level kept only if it sits inside the level above. */
function draftOf(fields: Record<string, string>): Draft {
  const d: Draft = { ...EMPTY };
  for (const key of [
    'classification',
    'title',
    'body',
    'incidentDate',
    'categoryId',
    'suggestedBodyId',
    'latitude',
    'longitude',
  ] as const) {
    d[key] = (fields[key] ?? '').slice(0, 12_000);
  }
  let parent = '';
  for (const level of LEVELS) {
    const code = (fields[level] ?? '').trim();
    if (code && /^[\d.]{2,13}$/.test(code) && code.startsWith(parent) && code.length > parent.length) {
      d[level] = code;
      parent = code;
    } else break;
  }
  d.anonymous = fields.anonymous === 'true';
  d.secret = fields.secret === 'true';
  return d;
}

/** A typed coordinate ("-0,0263" or "-0.0263"); text that is not a number is passed on to be refused by the schema. */
function coordinate(text: string): number | null | string {
  const t = text.trim().replace(',', '.');
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : text;
}

const regionOf = (d: Draft) => d.village || d.district || d.regency || d.province || null;

/** The draft as the API's submission: the same schema, so the same rules and messages. */
function inputOf(d: Draft): SubmitInput {
  return parseInput(SubmitReportSchema, {
    classification: d.classification,
    title: d.title,
    body: d.body,
    incidentDate: d.incidentDate,
    regionCode: regionOf(d),
    categoryId: d.categoryId ? Number(d.categoryId) : null,
    suggestedBodyId: d.suggestedBodyId ? Number(d.suggestedBodyId) : null,
    latitude: coordinate(d.latitude),
    longitude: coordinate(d.longitude),
    anonymous: d.anonymous,
    secret: d.secret,
    channel: 'web',
  }) as SubmitInput;
}

export function registerReportFormPages(app: App, deps: AppDeps): void {
  const guard = (c: Context<AppEnv>, lang: Lang): Response | Promise<Response> | null => {
    const principal = c.get('principal');
    if (!principal) return c.redirect(`/masuk?next=${encodeURIComponent(`/lapor${lang === 'en' ? '?lang=en' : ''}`)}`, 303);
    if (principal.role !== 'reporter') {
      return respond(c, 403, {
        lang,
        title: bi(lang, 'Buat laporan', 'File a report'),
        section: 'file',
        url: new URL(c.req.url),
        body: html`<h1>${bi(lang, 'Buat laporan', 'File a report')}</h1>
<p>${bi(lang, 'Akun petugas tidak dapat mengirim laporan. Masuk dengan akun pelapor.', 'Staff accounts cannot file reports. Sign in with a reporter account.')}</p>`,
      });
    }
    return null;
  };

  app.get('/lapor', async (c) => {
    const lang = langOf(c);
    const refused = guard(c, lang);
    if (refused) return refused;
    return formPage(c, deps, lang, { ...EMPTY, incidentDate: today(deps.now()) }, {});
  });

  app.post('/lapor', async (c) => {
    const lang = langOf(c);
    const refused = guard(c, lang);
    if (refused) return refused;
    const principal = c.get('principal')!;
    const multipart = (c.req.header('content-type') ?? '').startsWith('multipart/form-data');
    const limit = multipart ? deps.config.maxAttachmentBytes * deps.config.maxAttachments + 1024 * 1024 : undefined;
    const form = await readForm(c, limit);
    const draft = draftOf(form.fields);
    const step = form.fields.langkah;
    if (Object.keys(form.problems).length > 0) return formPage(c, deps, lang, draft, form.problems, 400);
    if (step !== 'periksa' && step !== 'kirim') return formPage(c, deps, lang, draft, {});
    let input: SubmitInput | null = null;
    let errors: Record<string, string> = {};
    try {
      input = inputOf(draft);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      errors = fieldErrors(err);
    }
    // the review must not promise what sending will refuse
    if (/^\d{4}-\d{2}-\d{2}$/.test(draft.incidentDate) && draft.incidentDate > latestIndonesianDate(deps.now())) {
      errors.incidentDate ??= FUTURE_DATE;
    }
    if (!input || Object.keys(errors).length > 0) return formPage(c, deps, lang, draft, errors, 400);
    if (step === 'periksa') return reviewPage(c, deps, lang, draft, {});
    try {
      const { trackingId } = await submitReport(deps, principal, input, form.files);
      return c.redirect(`/laporan/${trackingId}?terkirim=1${lang === 'en' ? '&lang=en' : ''}`, 303);
    } catch (err) {
      if (err instanceof AppError && err.code !== 'server_busy') {
        // a file's problem is said next to the file field
        const fileProblem = err.code.startsWith('attachment_') || Object.keys(err.fields ?? {}).some((k) => k.startsWith('attachments'));
        const errors = fileProblem
          ? { attachments: Object.entries(err.fields ?? {}).find(([k]) => k.startsWith('attachments'))?.[1] ?? err.message }
          : fieldErrors(err);
        // the schema's fields go back to the form; problems with files stay on the review
        const onForm = Object.keys(errors).some((k) => k in EMPTY || k === 'regionCode');
        return onForm ? formPage(c, deps, lang, draft, errors, 400) : reviewPage(c, deps, lang, draft, errors, 400);
      }
      throw err;
    }
  });
}

const FUTURE_DATE = 'Tanggal kejadian tidak boleh di masa depan / The incident date cannot be in the future';

/** Today's date in WIB, the form's default incident date. */
const today = (now: Date): string => localDate(now, 'Asia/Jakarta');

const LEVEL_WORDS: Record<Level, { id: string; en: string }> = {
  province: { id: 'Provinsi', en: 'Province' },
  regency: { id: 'Kabupaten/kota', en: 'Regency/city' },
  district: { id: 'Kecamatan', en: 'District' },
  village: { id: 'Kelurahan/desa', en: 'Village' },
};

async function regionChoices(deps: AppDeps, d: Draft): Promise<{ level: Level; choices: Choice[] }[]> {
  const out: { level: Level; choices: Choice[] }[] = [];
  let parent: string | undefined;
  for (const level of LEVELS) {
    const rows = await listRegions(deps.db, parent);
    if (rows.length === 0) break;
    out.push({ level, choices: rows.map((r) => ({ value: r.code, label: r.name })) });
    const chosen = d[level];
    if (!chosen || !rows.some((r) => r.code === chosen)) break;
    parent = chosen;
  }
  return out;
}

/** Bodies a citizen may suggest: the governments of the chosen province and regency, and the national bodies. */
async function bodyChoices(deps: AppDeps, d: Draft): Promise<Choice[]> {
  const [national, province, regency] = await Promise.all([
    deps.db.query<{ id: number; name: string }>(
      `SELECT id, name FROM bodies WHERE active AND region_code IS NULL AND kind NOT IN ('unit', 'ombudsman') ORDER BY name LIMIT 200`,
    ),
    d.province ? listBodies(deps.db, { regionCode: d.province, limit: 20 }) : Promise.resolve([]),
    d.regency ? listBodies(deps.db, { regionCode: d.regency, limit: 20 }) : Promise.resolve([]),
  ]);
  return [...regency, ...province, ...national]
    .filter((b) => !('kind' in b) || (b.kind !== 'unit' && b.kind !== 'ombudsman'))
    .map((b) => ({ value: String(b.id), label: b.name }));
}

async function formPage(
  c: Context<AppEnv>,
  deps: AppDeps,
  lang: Lang,
  d: Draft,
  errors: Record<string, string>,
  status: 200 | 400 = 200,
): Promise<Response> {
  const [levels, categories, bodies] = await Promise.all([regionChoices(deps, d), listCategories(deps.db), bodyChoices(deps, d)]);
  const regionError = errors.regionCode;
  const body = html`<h1>${bi(lang, 'Buat laporan', 'File a report')}</h1>
<p class="meta">${bi(lang, 'Langkah 1 dari 2: isi laporan', 'Step 1 of 2: your report')}</p>
${formError(lang, errors._)}
<form method="post" action="/lapor${lang === 'en' ? '?lang=en' : ''}" class="stack" id="report-form" data-max-bytes="${deps.config.maxAttachmentBytes}" novalidate>
  <fieldset${raw(errors.classification ? ' aria-invalid="true"' : '')}>
    <legend>${bi(lang, 'Klasifikasi', 'Classification')}</legend>
    ${CLASSIFICATIONS.map((k) => {
      const w = CLASSIFICATION_WORDS[k]!;
      return html`<div class="choice"><input type="radio" id="f-cls-${k}" name="classification" value="${k}"${raw(d.classification === k ? ' checked' : '')} aria-describedby="f-cls-${k}-help">
      <label for="f-cls-${k}">${pick(lang, w)}</label><span class="hint" id="f-cls-${k}-help">${pick(lang, w.help)}</span></div>`;
    })}
  </fieldset>
  ${field({ lang, name: 'title', label: bi(lang, 'Judul laporan', 'Title'), hint: bi(lang, 'Singkat dan jelas, 5–200 karakter.', 'Short and clear, 5–200 characters.'), value: d.title, error: errors.title, required: true, maxlength: 200 })}
  ${field({ lang, name: 'body', label: bi(lang, 'Isi laporan', 'What happened'), hint: bi(lang, 'Ceritakan kronologinya: apa, di mana, kapan, siapa yang terlibat. Minimal 20 karakter.', 'Tell it in order: what, where, when, who was involved. At least 20 characters.'), value: d.body, error: errors.body, required: true, rows: 8, maxlength: 10000 })}
  ${field({ lang, name: 'incidentDate', type: 'date', label: bi(lang, 'Tanggal kejadian', 'Date of the incident'), value: d.incidentDate, error: errors.incidentDate, required: true })}
  <fieldset>
    <legend>${bi(lang, 'Lokasi kejadian', 'Where it happened')}</legend>
    ${regionError ? html`<p class="error" id="f-region-error">${half(lang, regionError)}</p>` : ''}
    ${levels.map(({ level, choices }) =>
      select({
        lang,
        name: level,
        label: pick(lang, LEVEL_WORDS[level]),
        value: d[level],
        choices,
        empty: bi(lang, '— pilih —', '— choose —'),
        attrs: `data-level="${level}"`,
      }),
    )}
    <details${raw(d.latitude || d.longitude || errors.latitude || errors.longitude ? ' open' : '')}>
      <summary>${bi(lang, 'Titik koordinat (boleh dikosongkan)', 'Map coordinates (optional)')}</summary>
      <div class="coords">
        ${field({ lang, name: 'latitude', label: bi(lang, 'Lintang', 'Latitude'), hint: bi(lang, 'Contoh: -0,0263', 'For example: -0.0263'), value: d.latitude, error: errors.latitude, maxlength: 20, attrs: 'inputmode="decimal"' })}
        ${field({ lang, name: 'longitude', label: bi(lang, 'Bujur', 'Longitude'), hint: bi(lang, 'Contoh: 109,3425', 'For example: 109.3425'), value: d.longitude, error: errors.longitude, maxlength: 20, attrs: 'inputmode="decimal"' })}
      </div>
      <div class="actions">
        <button type="button" class="secondary" data-geolocate hidden>${bi(lang, 'Pakai lokasi saya', 'Use my location')}</button>
        ${mapButton(lang, deps.config.map)}
      </div>
      ${mapPanel(lang, deps.config.map)}
    </details>
    <button type="submit" name="langkah" value="wilayah" class="secondary" data-refresh>${bi(lang, 'Tampilkan pilihan wilayah berikutnya', 'Show the next level of places')}</button>
  </fieldset>
  ${select({ lang, name: 'categoryId', label: bi(lang, 'Kategori', 'Category'), hint: bi(lang, 'Boleh dikosongkan; petugas akan memilihkannya.', 'Optional; staff will choose one.'), value: d.categoryId, error: errors.categoryId, empty: bi(lang, '— tidak tahu —', '— not sure —'), choices: categories.map((k) => ({ value: String(k.id), label: `${k.parentId ? '— ' : ''}${lang === 'en' ? k.nameEn : k.name}` })) })}
  ${select({ lang, name: 'suggestedBodyId', label: bi(lang, 'Instansi tujuan (usulan)', 'Body to receive it (suggested)'), hint: bi(lang, 'Boleh dikosongkan: admin LAPOR! meneruskannya ke instansi yang berwenang.', 'Optional: the LAPOR! desk sends it to the responsible body.'), value: d.suggestedBodyId, error: errors.suggestedBodyId, empty: bi(lang, '— biarkan admin memilih —', '— let the desk choose —'), choices: bodies })}
  <fieldset>
    <legend>${bi(lang, 'Privasi', 'Privacy')}</legend>
    <div class="choice"><input type="checkbox" id="f-anonymous" name="anonymous" value="true"${raw(d.anonymous ? ' checked' : '')} aria-describedby="f-anonymous-help">
      <label for="f-anonymous">${bi(lang, 'Anonim', 'Anonymous')}</label>
      <span class="hint" id="f-anonymous-help">${bi(lang, 'Nama dan kontak Anda tidak ditampilkan kepada instansi maupun publik.', 'Your name and contact are shown neither to the body nor to the public.')}</span></div>
    <div class="choice"><input type="checkbox" id="f-secret" name="secret" value="true"${raw(d.secret ? ' checked' : '')} aria-describedby="f-secret-help">
      <label for="f-secret">${bi(lang, 'Rahasia', 'Secret')}</label>
      <span class="hint" id="f-secret-help">${bi(lang, 'Laporan tidak ditampilkan kepada publik; hanya Anda dan petugas yang menanganinya dapat membacanya.', 'The report is not shown to the public; only you and the staff handling it can read it.')}</span></div>
  </fieldset>
  <button type="submit" name="langkah" value="periksa">${bi(lang, 'Lanjut: periksa laporan', 'Next: review the report')}</button>
</form>`;
  return respond(c, status, { lang, title: bi(lang, 'Buat laporan', 'File a report'), section: 'file', url: new URL(c.req.url), body });
}

async function reviewPage(
  c: Context<AppEnv>,
  deps: AppDeps,
  lang: Lang,
  d: Draft,
  errors: Record<string, string>,
  status: 200 | 400 = 200,
): Promise<Response> {
  const code = regionOf(d);
  const [region, suggested, category] = await Promise.all([
    code ? deps.db.query<{ name: string }>('SELECT name FROM regions WHERE code = $1', [code]) : Promise.resolve([]),
    d.suggestedBodyId
      ? deps.db.query<{ name: string }>('SELECT name FROM bodies WHERE id = $1', [Number(d.suggestedBodyId)])
      : Promise.resolve([]),
    d.categoryId
      ? deps.db.query<{ name_id: string; name_en: string }>('SELECT name_id, name_en FROM categories WHERE id = $1', [Number(d.categoryId)])
      : Promise.resolve([]),
  ]);
  const receiver = suggested[0]
    ? bi(
        lang,
        `Laporan diverifikasi admin LAPOR!, lalu diteruskan kepada ${suggested[0].name} bila memang berwenang.`,
        `The LAPOR! desk verifies it, then sends it to ${suggested[0].name} if it is theirs to handle.`,
      )
    : bi(
        lang,
        'Laporan diverifikasi admin LAPOR! dan diteruskan kepada instansi yang berwenang.',
        'The LAPOR! desk verifies it and sends it to the responsible body.',
      );
  const hidden = (name: string, value: string) => html`<input type="hidden" name="${name}" value="${value}">`;
  const max = Math.round(deps.config.maxAttachmentBytes / 1024 / 1024);
  const body = html`<h1>${bi(lang, 'Periksa laporan', 'Review your report')}</h1>
<p class="meta">${bi(lang, 'Langkah 2 dari 2: periksa, lampirkan bukti, kirim', 'Step 2 of 2: review, attach evidence, send')}</p>
${formError(lang, errors._)}
<dl class="facts">
  <dt>${bi(lang, 'Klasifikasi', 'Classification')}</dt><dd>${pick(lang, CLASSIFICATION_WORDS[d.classification] ?? CLASSIFICATION_WORDS.pengaduan!)}</dd>
  <dt>${bi(lang, 'Judul', 'Title')}</dt><dd>${d.title}</dd>
  <dt>${bi(lang, 'Tanggal kejadian', 'Date of the incident')}</dt><dd>${dateWords(lang, d.incidentDate)}</dd>
  <dt>${bi(lang, 'Lokasi', 'Location')}</dt><dd>${region[0]?.name ?? bi(lang, '(tidak diisi)', '(not given)')}${d.latitude && d.longitude ? ` (${d.latitude}, ${d.longitude})` : ''}</dd>
  ${category[0] ? html`<dt>${bi(lang, 'Kategori', 'Category')}</dt><dd>${lang === 'en' ? category[0].name_en : category[0].name_id}</dd>` : ''}
  <dt>${bi(lang, 'Privasi', 'Privacy')}</dt><dd>${[
    d.anonymous
      ? bi(lang, 'Anonim: nama Anda tidak ditampilkan', 'Anonymous: your name is not shown')
      : bi(lang, 'Nama Anda tampil pada laporan', 'Your name shows on the report'),
    d.secret
      ? bi(lang, 'Rahasia: tidak tampil kepada publik', 'Secret: not shown to the public')
      : bi(lang, 'Publik setelah diverifikasi', 'Public once verified'),
  ].join('; ')}</dd>
</dl>
<p class="message">${d.body}</p>
<h2>${bi(lang, 'Siapa yang menerima', 'Who will receive it')}</h2>
<p>${receiver}</p>
<form method="post" action="/lapor${lang === 'en' ? '?lang=en' : ''}" enctype="multipart/form-data" class="stack">
  ${(['classification', 'title', 'body', 'incidentDate', 'province', 'regency', 'district', 'village', 'categoryId', 'suggestedBodyId', 'latitude', 'longitude'] as const).map((k) => hidden(k, d[k]))}
  ${d.anonymous ? hidden('anonymous', 'true') : ''}${d.secret ? hidden('secret', 'true') : ''}
  <div class="field${errors.attachments ? ' invalid' : ''}">
    <label for="f-attachments">${bi(lang, 'Foto atau dokumen (boleh lebih dari satu)', 'Photos or documents (more than one is fine)')}</label>
    <span class="hint" id="f-attachments-hint">${bi(lang, `JPEG, PNG, PDF atau dokumen Office, masing-masing paling besar ${max} MB. Data lokasi dan kamera di foto dihapus.`, `JPEG, PNG, PDF or Office documents, each at most ${max} MB. Location and camera data in photos are removed.`)}</span>
    ${errors.attachments ? html`<span class="error" id="f-attachments-error">${half(lang, errors.attachments)}</span>` : ''}
    <input id="f-attachments" name="attachments" type="file" multiple accept="image/jpeg,image/png,image/webp,application/pdf,.doc,.docx,.xls,.xlsx,.odt" aria-describedby="f-attachments-hint${errors.attachments ? ' f-attachments-error' : ''}" data-max-bytes="${deps.config.maxAttachmentBytes}">
  </div>
  <div class="actions">
    <button type="submit" name="langkah" value="kirim">${bi(lang, 'Kirim laporan', 'Send the report')}</button>
    <button type="submit" name="langkah" value="ubah" class="secondary">${bi(lang, 'Ubah laporan', 'Change the report')}</button>
  </div>
</form>`;
  return respond(c, status, {
    lang,
    title: bi(lang, 'Periksa laporan', 'Review your report'),
    section: 'file',
    url: new URL(c.req.url),
    body,
  });
}

import { html, raw } from 'hono/html';
import { type AnswerScore, clausesWithoutSubstance } from '../domain/answer-check.ts';
import type { Principal } from '../domain/principal.ts';
import { ARCHIVE_REASONS, CLASSIFICATIONS } from '../domain/report.ts';
import type { Action } from '../domain/workflow.ts';
import { invalidInput } from '../errors.ts';
import type { ActionInput } from '../features/reports/report-actions.service.ts';
import type { ReportJson } from '../features/reports/reports.service.ts';
import { type BodyOption, type SuggestionReason, bodyPicker, pickBody } from './body-picker.ts';
import { type Lang, bi, pick } from './i18n.ts';
import type { Html } from './layout.ts';
import { type Choice, field, formError, half } from './ui.ts';
import { CLASSIFICATION_WORDS } from './words.ts';

/**
 * The back office's action forms, one per action the API's `availableActions` lists for this
 * staff member now, and the reading of what they post into the `ActionInput` of `performAction`
 * (which decides, as for the API, whether the action may happen).
 */

type Pair = { id: string; en: string };

/** Staff actions in the order the workspace offers them. */
export const STAFF_ACTIONS: Action[] = [
  'verify',
  'route',
  'disposition',
  'follow_up',
  'answer',
  'forward',
  'hold',
  'edit',
  'archive',
  'confirm_archive',
  'reject_archive',
  'grant_appeal',
  'reject_appeal',
];

const ACTION_TITLES: Record<string, Pair> = {
  verify: { id: 'Verifikasi', en: 'Verify' },
  edit: { id: 'Koreksi laporan', en: 'Correct the report' },
  hold: { id: 'Tunda: minta pelapor melengkapi', en: 'Hold: ask the reporter for more' },
  archive: { id: 'Arsipkan', en: 'Archive' },
  confirm_archive: { id: 'Setujui permintaan arsip', en: 'Confirm the archive request' },
  reject_archive: { id: 'Tolak permintaan arsip', en: 'Reject the archive request' },
  grant_appeal: { id: 'Terima banding', en: 'Grant the appeal' },
  reject_appeal: { id: 'Tolak banding', en: 'Reject the appeal' },
  route: { id: 'Teruskan ke instansi', en: 'Route to a body' },
  disposition: { id: 'Disposisikan ke unit', en: 'Pass to a unit' },
  forward: { id: 'Alihkan', en: 'Forward' },
  follow_up: { id: 'Tindak lanjut', en: 'Follow-up' },
  answer: { id: 'Jawaban akhir', en: 'Final answer' },
};

/** What a done action says at the top of the page. */
export const ACTION_DONE: Record<string, Pair> = {
  verify: { id: 'Laporan diverifikasi.', en: 'Report verified.' },
  edit: { id: 'Koreksi tersimpan.', en: 'Correction saved.' },
  hold: { id: 'Laporan ditunda; pelapor diminta melengkapi.', en: 'Report on hold; the reporter was asked for more.' },
  archive: { id: 'Laporan diarsipkan.', en: 'Report archived.' },
  archive_requested: {
    id: 'Permintaan arsip terkirim ke admin nasional.',
    en: 'Archive request sent to the national desk.',
  },
  confirm_archive: { id: 'Permintaan arsip disetujui; laporan diarsipkan.', en: 'Archive request confirmed; report archived.' },
  reject_archive: { id: 'Permintaan arsip ditolak.', en: 'Archive request rejected.' },
  grant_appeal: {
    id: 'Banding diterima; laporan kembali ke meja nasional.',
    en: 'Appeal granted; the report is back at the national desk.',
  },
  reject_appeal: { id: 'Banding ditolak.', en: 'Appeal rejected.' },
  route: { id: 'Laporan diteruskan.', en: 'Report routed.' },
  disposition: { id: 'Laporan didisposisikan.', en: 'Report passed to the unit.' },
  forward: { id: 'Laporan dialihkan.', en: 'Report forwarded.' },
  follow_up: { id: 'Tindak lanjut terkirim.', en: 'Follow-up posted.' },
  internal_note: { id: 'Catatan internal tersimpan.', en: 'Internal note saved.' },
  answer: { id: 'Jawaban akhir terkirim; pelapor diberi tahu.', en: 'Final answer sent; the reporter has been told.' },
};

const ARCHIVE_REASON_WORDS: Record<string, Pair> = {
  duplicate: { id: 'Duplikat laporan lain', en: 'A duplicate of another report' },
  incomplete: { id: 'Tidak lengkap', en: 'Incomplete' },
  not_public_service: { id: 'Bukan pelayanan publik', en: 'Not about a public service' },
  spam_hoax: { id: 'Spam atau hoaks', en: 'Spam or a hoax' },
  abusive: { id: 'Kasar atau menghina', en: 'Abusive' },
};
export const archiveReasonWords = (lang: Lang, reason: string): string => ARCHIVE_REASON_WORDS[reason]?.[lang] ?? reason;

const CLAUSE_KIND_WORDS: Record<string, Pair> = {
  promise: { id: 'hanya janji', en: 'only a promise' },
  handing_on: { id: 'hanya diteruskan atau diterima', en: 'only handed on or received' },
  waiting: { id: 'masih menunggu', en: 'still waiting' },
  request: { id: 'meminta data tambahan', en: 'asks for more data' },
  vague: { id: 'tidak menyebut tindakan', en: 'names no deed' },
  courtesy: { id: 'salam', en: 'courtesy' },
  substance: { id: 'isi', en: 'substance' },
};

// ---------------------------------------------------------------------------------------------
// Reading a posted form

const MAX_MESSAGE = 10_000;

function positiveInt(raw: string | undefined, name: string, errors: Record<string, string>): number | undefined {
  const v = raw?.trim();
  if (!v) return undefined;
  if (!/^\d{1,15}$/.test(v) || Number(v) <= 0) {
    errors[name] = 'Pilihan tidak valid / Invalid choice';
    return undefined;
  }
  return Number(v);
}

/**
 * A staff action's form fields as the input `performAction` takes. Shapes are checked here (as
 * the API's schemas check them), with each problem by its field; the rules stay in the service.
 */
export function readActionInput(action: Action, f: Record<string, string>): ActionInput {
  const errors: Record<string, string> = {};
  const input: ActionInput = {};
  const message = f.message?.trim();
  if (message) {
    if (message.length > MAX_MESSAGE) errors.message = `Paling banyak ${MAX_MESSAGE} karakter / At most ${MAX_MESSAGE} characters`;
    input.message = message;
  }
  if (action === 'verify' || action === 'edit') {
    const classification = f.classification?.trim();
    if (classification) {
      if ((CLASSIFICATIONS as readonly string[]).includes(classification)) {
        input.classification = classification as ActionInput['classification'];
      } else errors.classification = 'Pilihan tidak valid / Invalid choice';
    }
    const categoryId = positiveInt(f.categoryId, 'categoryId', errors);
    if (categoryId !== undefined) input.categoryId = categoryId;
    const title = f.title?.trim();
    if (title) {
      if (title.length < 5 || title.length > 200) errors.title = 'Judul 5–200 karakter / A title of 5–200 characters';
      else input.title = title;
    }
    // anonim and rahasia only ever go on: an unticked box says nothing
    if (f.anonymous === 'on') input.anonymous = true;
    if (f.secret === 'on') input.secret = true;
  }
  if (action === 'verify') {
    const rc = f.resolutionClass?.trim();
    if (rc === '5' || rc === '14' || rc === '60') input.resolutionClass = Number(rc) as 5 | 14 | 60;
    else errors.resolutionClass = 'Wajib dipilih: 5, 14 atau 60 hari kerja / Required: 5, 14 or 60 working days';
  }
  if (action === 'archive') {
    const reason = f.reason?.trim();
    if (reason && (ARCHIVE_REASONS as readonly string[]).includes(reason)) input.reason = reason as ActionInput['reason'];
    else errors.reason = 'Wajib dipilih / Required';
    const duplicateOf = f.duplicateOf?.trim();
    if (duplicateOf) {
      if (duplicateOf.length > 20) errors.duplicateOf = 'Nomor pelacakan tidak valid / Invalid tracking ID';
      else input.duplicateOf = duplicateOf;
    }
  }
  if (action === 'route') {
    const bodyId = positiveInt(f.bodyId, 'bodyId', errors);
    if (bodyId !== undefined) input.bodyId = bodyId;
  }
  if (action === 'disposition') {
    const unitId = positiveInt(f.unitId, 'unitId', errors);
    if (unitId !== undefined) input.unitId = unitId;
    else errors.unitId ??= 'Wajib dipilih / Required';
  }
  if (action === 'forward') {
    const target = f.target?.trim();
    if (target === 'national') input.toNational = true;
    else {
      const bodyId = positiveInt(target, 'target', errors);
      if (bodyId !== undefined) input.bodyId = bodyId;
      else errors.target ??= 'Wajib dipilih / Required';
    }
  }
  if (action === 'follow_up' && f.internal === 'on') input.internal = true;
  if (Object.keys(errors).length > 0) throw invalidInput(errors);
  return input;
}

/** Field names the service may name in its errors, mapped onto this form's controls. */
export function fieldOfError(action: string, name: string): string {
  if ((action === 'route' || action === 'forward') && name === 'bodyId') return 'instansi';
  return name;
}

export type BodyFields =
  | { ok: true; fields: Record<string, string> }
  | { ok: false; errors: Record<string, string>; candidates: BodyOption[]; more: number };

/**
 * The route and forward forms name their body as typed text (`instansi`) or a choice among
 * matches (`bodyId`); this resolves it to the id `readActionInput` takes (`bodyId` for route,
 * `target` for forward), or says what is wrong with it. Other actions pass through untouched.
 */
export function resolveBodyFields(
  action: Action,
  fields: Record<string, string>,
  bodies: readonly BodyOption[],
  first: readonly number[] = [],
): BodyFields {
  if (action !== 'route' && action !== 'forward') return { ok: true, fields };
  if (action === 'forward' && fields.target === 'national') return { ok: true, fields: { ...fields, bodyId: '' } };
  const picked = pickBody({ text: fields.instansi, id: fields.bodyId }, bodies, first);
  if (picked.kind === 'error') return { ok: false, errors: { instansi: picked.error }, candidates: picked.candidates, more: picked.more };
  if (picked.kind === 'none') {
    // route: the service decides (an agency admin takes it into its own body; anyone else must name one)
    if (action === 'route') return { ok: true, fields: { ...fields, bodyId: '' } };
    return {
      ok: false,
      errors: {
        instansi:
          'Wajib diisi: ketik nama instansi, atau pilih "Kembalikan ke admin nasional" / Required: type the body’s name, or choose "Back to the national desk"',
      },
      candidates: [],
      more: 0,
    };
  }
  const id = String(picked.body.id);
  return { ok: true, fields: action === 'route' ? { ...fields, bodyId: id } : { ...fields, target: id } };
}

// ---------------------------------------------------------------------------------------------
// The forms

export interface FormState {
  /** The action whose form the last attempt came from. */
  action: string;
  /** Field → error (`_` for the form as a whole). */
  errors: Record<string, string>;
  /** What was posted, to show again. */
  values: Record<string, string>;
  /** A body's name that matched several: the matches, to choose from. */
  candidates?: BodyOption[];
  more?: number;
}

export interface WorkspaceChoices {
  categories: Choice[];
  /** Top-level bodies a report can be routed or forwarded to. */
  bodies: BodyOption[];
  /** The bodies offered first for this report, and why. */
  suggestions: { body: BodyOption; reason: SuggestionReason }[];
  /** Units this staff member may pass the report to. */
  units: Choice[];
}

interface Ctx {
  lang: Lang;
  report: ReportJson;
  principal: Principal;
  choices: WorkspaceChoices;
  state: FormState | null;
  check: { text: string; result: AnswerScore; filesDropped: boolean } | null;
  base: string;
  q: string;
}

function pickOne(o: {
  id: string;
  name: string;
  label: string;
  choices: Choice[];
  value?: string;
  error?: string;
  empty?: string;
  hint?: string;
  lang: Lang;
}): Html {
  const described = [o.hint ? `${o.id}-hint` : null, o.error ? `${o.id}-error` : null].filter(Boolean).join(' ');
  return html`<div class="field${o.error ? ' invalid' : ''}">
  <label for="${o.id}">${o.label}</label>
  ${o.hint ? html`<span class="hint" id="${o.id}-hint">${o.hint}</span>` : ''}
  ${o.error ? html`<span class="error" id="${o.id}-error">${half(o.lang, o.error)}</span>` : ''}
  <select id="${o.id}" name="${o.name}"${raw(described ? ` aria-describedby="${described}"` : '')}${raw(o.error ? ' aria-invalid="true"' : '')}>
    ${o.empty !== undefined ? html`<option value="">${o.empty}</option>` : ''}
    ${o.choices.map((ch) => html`<option value="${ch.value}"${raw(ch.value === o.value ? ' selected' : '')}>${ch.label}</option>`)}
  </select>
</div>`;
}

function checkbox(id: string, name: string, label: string, checked: boolean, hint?: string): Html {
  return html`<div class="choice"><input type="checkbox" id="${id}" name="${name}"${raw(checked ? ' checked' : '')}${raw(hint ? ` aria-describedby="${id}-hint"` : '')}><label for="${id}">${label}</label>${hint ? html`<span class="hint" id="${id}-hint">${hint}</span>` : ''}</div>`;
}

/** The privacy flags: a box only while the flag is off (they only go on). */
function privacyBoxes(x: Ctx, a: string): Html {
  const { lang, report: r } = x;
  const v = x.state?.action === a ? x.state.values : {};
  return html`<fieldset><legend>${bi(lang, 'Privasi (hanya dapat dinyalakan)', 'Privacy (can only be turned on)')}</legend>
  ${r.anonymous ? html`<p>${bi(lang, 'Sudah anonim: nama pelapor tidak tampil bagi instansi.', 'Already anonymous: the reporter’s name is not shown to bodies.')}</p>` : checkbox(`${a}-anonymous`, 'anonymous', bi(lang, 'Anonim: sembunyikan identitas pelapor dari instansi', 'Anonymous: hide the reporter’s identity from bodies'), v.anonymous === 'on')}
  ${r.secret ? html`<p>${bi(lang, 'Sudah rahasia: tidak tampil bagi publik.', 'Already secret: not shown to the public.')}</p>` : checkbox(`${a}-secret`, 'secret', bi(lang, 'Rahasia: jangan tampilkan kepada publik', 'Secret: do not show it to the public'), v.secret === 'on')}
</fieldset>`;
}

function classificationChoices(lang: Lang): Choice[] {
  return CLASSIFICATIONS.map((k) => ({ value: k, label: pick(lang, CLASSIFICATION_WORDS[k]!) }));
}

function messageField(x: Ctx, a: string, required: boolean, label?: Pair, hint?: string): Html {
  const { lang } = x;
  const state = x.state?.action === a ? x.state : null;
  const words = label ?? (required ? { id: 'Pesan', en: 'Message' } : { id: 'Pesan (boleh kosong)', en: 'Message (optional)' });
  return field({
    lang,
    id: `${a}-message`,
    name: 'message',
    label: pick(lang, words),
    hint,
    rows: a === 'answer' ? 6 : 3,
    maxlength: MAX_MESSAGE,
    value: state?.values.message ?? (a === 'answer' ? x.check?.text : undefined),
    error: state?.errors.message,
    required,
  });
}

function formBody(x: Ctx, a: Action): Html {
  const { lang, report: r, choices, principal } = x;
  const state = x.state?.action === a ? x.state : null;
  const v = state?.values ?? {};
  const err = state?.errors ?? {};
  switch (a) {
    case 'verify':
      return html`
  ${pickOne({ lang, id: 'verify-classification', name: 'classification', label: bi(lang, 'Klasifikasi', 'Classification'), choices: classificationChoices(lang), value: v.classification ?? r.classification, error: err.classification })}
  ${pickOne({ lang, id: 'verify-category', name: 'categoryId', label: bi(lang, 'Kategori', 'Category'), choices: choices.categories, value: v.categoryId ?? (r.category ? String(r.category.id) : ''), error: err.categoryId, empty: bi(lang, '— tanpa kategori —', '— no category —') })}
  <fieldset${raw(err.resolutionClass ? ' aria-describedby="verify-rc-error"' : '')}><legend>${bi(lang, 'Kelas penyelesaian (hari kerja)', 'Resolution class (working days)')}</legend>
    ${err.resolutionClass ? html`<span class="error" id="verify-rc-error">${half(lang, err.resolutionClass)}</span>` : ''}
    <div class="actions">${[5, 14, 60].map(
      (n) =>
        html`<span class="choice"><input type="radio" id="verify-rc-${n}" name="resolutionClass" value="${n}"${raw(v.resolutionClass === String(n) ? ' checked' : '')}><label for="verify-rc-${n}">${n} ${bi(lang, 'hari', 'days')}</label></span>`,
    )}</div>
  </fieldset>
  ${privacyBoxes(x, a)}
  ${field({ lang, id: 'verify-title', name: 'title', label: bi(lang, 'Judul (boleh disunting)', 'Title (may be edited)'), value: v.title ?? r.title, error: err.title, maxlength: 200 })}`;
    case 'edit':
      return html`
  ${pickOne({ lang, id: 'edit-classification', name: 'classification', label: bi(lang, 'Klasifikasi', 'Classification'), choices: classificationChoices(lang), value: v.classification ?? r.classification, error: err.classification })}
  ${pickOne({ lang, id: 'edit-category', name: 'categoryId', label: bi(lang, 'Kategori', 'Category'), choices: choices.categories, value: v.categoryId ?? (r.category ? String(r.category.id) : ''), error: err.categoryId, empty: bi(lang, '— tidak diubah —', '— unchanged —') })}
  ${field({ lang, id: 'edit-title', name: 'title', label: bi(lang, 'Judul baru (kosongkan bila tetap)', 'New title (leave empty to keep)'), value: v.title ?? '', error: err.title, maxlength: 200 })}
  ${privacyBoxes(x, a)}
  ${messageField(x, a, false, { id: 'Catatan (boleh kosong)', en: 'Note (optional)' })}`;
    case 'hold':
      return messageField(x, a, true, { id: 'Pertanyaan kepada pelapor', en: 'Question to the reporter' });
    case 'archive':
      return html`
  ${principal.role === 'agency_admin' ? html`<p class="hint">${bi(lang, 'Admin instansi hanya meminta: admin nasional menyetujui atau menolak, dan laporan tetap terbuka sampai diputuskan.', 'A body’s admin only asks: a national admin confirms or rejects it, and the report stays open until then.')}</p>` : ''}
  ${pickOne({ lang, id: 'archive-reason', name: 'reason', label: bi(lang, 'Alasan', 'Reason'), choices: ARCHIVE_REASONS.map((k) => ({ value: k, label: archiveReasonWords(lang, k) })), value: v.reason, error: err.reason, empty: bi(lang, '— pilih —', '— choose —') })}
  ${field({ lang, id: 'archive-duplicateOf', name: 'duplicateOf', label: bi(lang, 'Nomor pelacakan laporan asli (untuk duplikat)', 'Tracking ID of the original (for a duplicate)'), value: v.duplicateOf, error: err.duplicateOf, maxlength: 20 })}
  ${messageField(x, a, false)}`;
    case 'confirm_archive':
      return html`${r.archiveRequest ? html`<p>${bi(lang, 'Alasan instansi', 'The body’s reason')}: <strong>${archiveReasonWords(lang, r.archiveRequest.reason)}</strong>${r.archiveRequest.message ? html` — ${r.archiveRequest.message}` : ''}</p>` : ''}
  ${messageField(x, a, false)}`;
    case 'reject_archive':
      return messageField(x, a, true, { id: 'Alasan penolakan', en: 'Why it is rejected' });
    case 'grant_appeal':
    case 'reject_appeal':
      return messageField(x, a, true, {
        id: 'Alasan keputusan (dikirim ke pelapor)',
        en: 'Reason for the decision (sent to the reporter)',
      });
    case 'route':
      return html`${
        principal.role === 'agency_admin'
          ? html`<p>${bi(lang, 'Laporan diterima untuk ditangani instansi Anda.', 'The report is taken into your own body.')}</p>`
          : bodyPicker({
              lang,
              id: 'route-body',
              label: bi(lang, 'Instansi', 'Body'),
              value: v.instansi ?? r.suggestedBody?.name ?? '',
              error: err.instansi,
              bodies: choices.bodies,
              suggestions: choices.suggestions,
              candidates: state?.candidates,
              more: state?.more,
            })
      }
  ${messageField(x, a, false)}`;
    case 'disposition':
      return html`${pickOne({ lang, id: 'disposition-unit', name: 'unitId', label: bi(lang, 'Unit', 'Unit'), choices: choices.units, value: v.unitId, error: err.unitId, empty: bi(lang, '— pilih unit —', '— choose a unit —') })}
  ${messageField(x, a, false, { id: 'Arahan untuk unit (boleh kosong)', en: 'Instruction to the unit (optional)' })}`;
    case 'forward': {
      const current = r.responsibleBody?.id;
      const national = v.target === 'national';
      return html`<fieldset><legend>${bi(lang, 'Ke', 'To')}</legend>
    <div class="choice"><input type="radio" id="forward-to-body" name="target" value="body"${raw(national ? '' : ' checked')}><label for="forward-to-body">${bi(lang, 'Instansi lain (ketik namanya di bawah)', 'Another body (type its name below)')}</label></div>
    <div class="choice"><input type="radio" id="forward-to-national" name="target" value="national"${raw(national ? ' checked' : '')}><label for="forward-to-national">${bi(lang, 'Kembalikan ke admin nasional', 'Back to the national desk')}</label></div>
  </fieldset>
  ${bodyPicker({
    lang,
    id: 'forward-body',
    label: bi(lang, 'Instansi tujuan', 'Body to forward to'),
    value: v.instansi ?? '',
    error: err.instansi ?? err.target,
    bodies: choices.bodies.filter((b) => b.id !== current),
    suggestions: choices.suggestions.filter((s) => s.body.id !== current),
    candidates: state?.candidates,
    more: state?.more,
  })}
  ${messageField(x, a, true, { id: 'Alasan', en: 'Reason' })}`;
    }
    case 'follow_up':
      return html`${messageField(x, a, true)}
  ${checkbox('follow_up-internal', 'internal', bi(lang, 'Catatan internal (hanya petugas; status tidak berubah)', 'Internal note (staff only; the status stays)'), v.internal === 'on')}`;
    case 'answer':
      return html`${messageField(
        x,
        a,
        true,
        { id: 'Jawaban: apa yang sudah dilakukan', en: 'The answer: what was done' },
        bi(
          lang,
          'Sebut apa yang sudah dikerjakan, kapan dan di mana. Janji atau "sudah diteruskan" dikirim sebagai tindak lanjut, bukan jawaban akhir.',
          'Say what was done, when and where. A promise or "it has been passed on" is a follow-up, not a final answer.',
        ),
      )}
  ${x.check ? checkPanel(lang, x.check.result, x.check.filesDropped) : ''}
  <div class="field${err.attachments ? ' invalid' : ''}"><label for="answer-files">${bi(lang, 'Bukti (foto atau dokumen)', 'Evidence (photo or document)')}</label>
    <span class="hint" id="answer-files-hint">${r.classification === 'pengaduan' ? bi(lang, 'Wajib untuk pengaduan: dokumen, atau foto minimal 320 × 240 piksel.', 'Required for a complaint: a document, or a photo of at least 320 × 240 pixels.') : bi(lang, 'Boleh kosong.', 'Optional.')}</span>
    ${err.attachments ? html`<span class="error" id="answer-files-error">${half(lang, err.attachments)}</span>` : ''}
    <input id="answer-files" name="attachments" type="file" multiple aria-describedby="answer-files-hint${err.attachments ? ' answer-files-error' : ''}"></div>`;
    default:
      return html``;
  }
}

/** What the answer check found: the clauses that only promise, and what would make it an answer. */
export function checkPanel(lang: Lang, result: AnswerScore, filesDropped = false): Html {
  if (result.verdict === 'answer') {
    return html`<div class="check ok" role="status" id="periksa-hasil"><p><strong>${bi(lang, 'Jawaban ini menyebut apa yang sudah dilakukan.', 'This answer says what was done.')}</strong> ${bi(lang, `Skor ${result.score.toFixed(2)}.`, `Score ${result.score.toFixed(2)}.`)}</p>${filesDropped ? html`<p>${bi(lang, 'Lampirkan bukti lagi sebelum mengirim.', 'Attach the evidence again before sending.')}</p>` : ''}</div>`;
  }
  const weak = clausesWithoutSubstance(result);
  const shown = weak.length > 0 ? weak : result.clauses;
  return html`<div class="check" role="alert" id="periksa-hasil">
  <p><strong>${bi(lang, 'Belum jawaban akhir: tidak menyebut apa yang sudah dilakukan.', 'Not a final answer yet: it does not say what was done.')}</strong> ${bi(lang, `Skor ${result.score.toFixed(2)}.`, `Score ${result.score.toFixed(2)}.`)}</p>
  <ul>${shown.slice(0, 10).map((c) => html`<li>“${c.text}”: <strong>${CLAUSE_KIND_WORDS[c.kind]?.[lang] ?? c.kind}</strong>${c.reasons.length > 0 ? html` <span class="meta">(${c.reasons.join('; ')})</span>` : ''}</li>`)}</ul>
  ${result.advice ? html`<p>${half(lang, result.advice)}</p>` : ''}
  ${filesDropped ? html`<p>${bi(lang, 'Lampirkan bukti lagi sebelum mengirim.', 'Attach the evidence again before sending.')}</p>` : ''}
</div>`;
}

/** Every form the workspace offers this staff member now. */
export function staffActionForms(x: Ctx): Html {
  const { lang, report: r } = x;
  const actions = STAFF_ACTIONS.filter((a) => r.availableActions.includes(a));
  const ombudsman = r.availableActions.filter((a) => a.startsWith('ombudsman_'));
  if (ombudsman.length > 0) return ombudsmanForms(x, ombudsman);
  if (actions.length === 0) {
    return html`<p>${bi(lang, 'Tidak ada tindakan untuk Anda pada laporan ini sekarang.', 'There is nothing for you to do on this report now.')}</p>`;
  }
  return html`${actions.map((a) => {
    const title = a === 'archive' && x.principal.role === 'agency_admin' ? { id: 'Minta arsip', en: 'Ask to archive' } : ACTION_TITLES[a]!;
    const state = x.state?.action === a ? x.state : null;
    const multipart = a === 'answer';
    return html`<form method="post" action="${x.base}/tindakan${x.q}" class="stack action" id="form-${a}" aria-labelledby="judul-${a}"${raw(multipart ? ' enctype="multipart/form-data"' : '')}>
  <h3 id="judul-${a}">${pick(lang, title)}</h3>
  <input type="hidden" name="aksi" value="${a}">
  ${formError(lang, state?.errors._)}
  ${formBody(x, a)}
  <div class="actions">${
    a === 'answer'
      ? html`<button type="submit" class="secondary" formaction="${x.base}/periksa-jawaban${x.q}">${bi(lang, 'Periksa jawaban', 'Check the answer')}</button> <button type="submit">${bi(lang, 'Kirim jawaban akhir', 'Send the final answer')}</button>`
      : html`<button type="submit">${pick(lang, title)}</button>`
  }</div>
</form>`;
  })}`;
}

/** The Ombudsman's steps on an escalated report, in their order; each a form (performStep decides). */
const OMBUDSMAN_FORMS: Record<string, { step: string; title: Pair; field?: { name: string; label: Pair; required: boolean } }> = {
  ombudsman_take_over: { step: 'take_over', title: { id: 'Ambil alih penanganan', en: 'Take the case over' } },
  ombudsman_findings: {
    step: 'findings',
    title: { id: 'Catat temuan', en: 'Record findings' },
    field: { name: 'findings', label: { id: 'Temuan', en: 'Findings' }, required: true },
  },
  ombudsman_recommendation: {
    step: 'recommendation',
    title: { id: 'Beri rekomendasi', en: 'Issue a recommendation' },
    field: { name: 'recommendation', label: { id: 'Rekomendasi', en: 'Recommendation' }, required: true },
  },
  ombudsman_close: {
    step: 'close',
    title: { id: 'Tutup penanganan', en: 'Close the case' },
    field: { name: 'message', label: { id: 'Catatan penutup (boleh kosong)', en: 'Closing note (optional)' }, required: false },
  },
};

export const OMBUDSMAN_DONE: Record<string, Pair> = {
  take_over: {
    id: 'Penanganan diambil alih; pelapor dan instansi diberi tahu.',
    en: 'Case taken over; the reporter and the body have been told.',
  },
  findings: {
    id: 'Temuan tercatat; pelapor dan instansi diberi tahu.',
    en: 'Findings recorded; the reporter and the body have been told.',
  },
  recommendation: { id: 'Rekomendasi tercatat.', en: 'Recommendation recorded.' },
  close: { id: 'Penanganan Ombudsman ditutup.', en: 'Ombudsman case closed.' },
};

function ombudsmanForms(x: Ctx, available: readonly string[]): Html {
  const { lang } = x;
  return html`${available.map((a) => {
    const f = OMBUDSMAN_FORMS[a];
    if (!f) return html``;
    const state = x.state?.action === f.step ? x.state : null;
    return html`<form method="post" action="${x.base}/ombudsman${x.q}" class="stack action" id="form-${a}" aria-labelledby="judul-${a}">
  <h3 id="judul-${a}">${pick(lang, f.title)}</h3>
  <input type="hidden" name="langkah" value="${f.step}">
  ${formError(lang, state?.errors._)}
  ${
    f.field
      ? field({
          lang,
          name: f.field.name,
          id: `${a}-${f.field.name}`,
          label: pick(lang, f.field.label),
          rows: 5,
          maxlength: 20000,
          required: f.field.required,
          value: state?.values[f.field.name],
          error: state?.errors[f.field.name],
        })
      : ''
  }
  <div class="actions"><button type="submit">${pick(lang, f.title)}</button></div>
</form>`;
  })}`;
}

import { html, raw } from 'hono/html';
import { type Lang, bi } from './i18n.ts';
import type { Html } from './layout.ts';
import { half } from './ui.ts';

/**
 * Choosing one of some 600 bodies in the back office's route and forward forms, with or without
 * JavaScript: a text field with a <datalist> of every body's name (the browser suggests as one
 * types), which the server resolves to one body by its name or code, or by words of its name
 * ("kota pontianak"). Nothing found, or several, is a field error; for several the matches come
 * back as radio buttons to choose from. The reporter's suggestion is filled in, and it and the
 * governments of the report's region head the list.
 */

export interface BodyOption {
  id: number;
  code: string;
  name: string;
  regionCode: string | null;
}

export type BodyPick =
  /** Nothing typed and nothing chosen. */
  | { kind: 'none' }
  | { kind: 'found'; body: BodyOption }
  /** A bilingual message for the field, and the bodies it might have meant (several matched). */
  | { kind: 'error'; error: string; candidates: BodyOption[]; more: number };

/** Matches shown as radio buttons when a name is ambiguous; more than that asks for more of the name. */
export const MAX_CANDIDATES = 12;
const MAX_TEXT = 200;

const normal = (text: string) => text.normalize('NFKC').toLocaleLowerCase('id').replace(/\s+/g, ' ').trim();

/**
 * The body a posted form means: a radio choice (`id`, from a list of matches) before the typed
 * `text`. `first` are the ids to list first among several matches (the suggestions). Pure: any
 * input gives an answer, never an exception.
 */
export function pickBody(input: { text?: string; id?: string }, bodies: readonly BodyOption[], first: readonly number[] = []): BodyPick {
  const id = input.id?.trim();
  if (id) {
    const body = /^\d{1,15}$/.test(id) ? bodies.find((b) => b.id === Number(id)) : undefined;
    return body ? { kind: 'found', body } : { kind: 'error', error: 'Pilihan tidak valid / Invalid choice', candidates: [], more: 0 };
  }
  const raw = input.text ?? '';
  if (raw.length > MAX_TEXT * 4) return tooLong();
  const text = normal(raw);
  if (text === '') return { kind: 'none' };
  if (text.length > MAX_TEXT) return tooLong();
  const exact = bodies.filter((b) => normal(b.name) === text || b.code.toLowerCase() === text);
  if (exact.length === 1) return { kind: 'found', body: exact[0]! };
  const words = text.split(' ');
  const matches =
    exact.length > 1
      ? exact
      : bodies.filter((b) => {
          const name = normal(b.name);
          return words.every((w) => name.includes(w)) || b.code.toLowerCase().includes(text);
        });
  if (matches.length === 1) return { kind: 'found', body: matches[0]! };
  if (matches.length === 0) {
    return {
      kind: 'error',
      error:
        'Tidak ada instansi yang cocok dengan nama ini; periksa ejaannya, atau ketik sebagian nama saja / ' +
        'No body matches this name; check the spelling, or type part of the name',
      candidates: [],
      more: 0,
    };
  }
  const rank = (b: BodyOption) => {
    const at = first.indexOf(b.id);
    return at < 0 ? first.length : at;
  };
  const sorted = [...matches].sort((a, b) => rank(a) - rank(b) || a.name.length - b.name.length || a.name.localeCompare(b.name, 'id'));
  const shown = sorted.slice(0, MAX_CANDIDATES);
  return {
    kind: 'error',
    error:
      matches.length > shown.length
        ? `${matches.length} instansi cocok: pilih satu di bawah, atau ketik lebih lengkap / ${matches.length} bodies match: choose one below, or type more of the name`
        : `${matches.length} instansi cocok: pilih satu di bawah / ${matches.length} bodies match: choose one below`,
    candidates: shown,
    more: matches.length - shown.length,
  };
}

const tooLong = (): BodyPick => ({
  kind: 'error',
  error: `Paling banyak ${MAX_TEXT} karakter / At most ${MAX_TEXT} characters`,
  candidates: [],
  more: 0,
});

/** Why a body is suggested for a report. */
export type SuggestionReason = 'reporter' | 'region';

/**
 * The bodies to offer first for a report: the reporter's suggestion, then the government of the
 * report's regency or city, then of its province.
 */
export function suggestedBodies(
  bodies: readonly BodyOption[],
  report: { suggestedBodyId: number | null; regionCode: string | null },
): { body: BodyOption; reason: SuggestionReason }[] {
  const out: { body: BodyOption; reason: SuggestionReason }[] = [];
  const add = (body: BodyOption | undefined, reason: SuggestionReason) => {
    if (body && !out.some((s) => s.body.id === body.id)) out.push({ body, reason });
  };
  add(
    bodies.find((b) => b.id === report.suggestedBodyId),
    'reporter',
  );
  const region = report.regionCode ?? '';
  const [province, regency] = [region.slice(0, 2), region.slice(0, 5)];
  if (regency.length === 5)
    add(
      bodies.find((b) => b.regionCode === regency),
      'region',
    );
  if (province.length === 2)
    add(
      bodies.find((b) => b.regionCode === province),
      'region',
    );
  return out;
}

const REASON_WORDS: Record<SuggestionReason, { id: string; en: string }> = {
  reporter: { id: 'usulan pelapor', en: 'suggested by the reporter' },
  region: { id: 'wilayah laporan', en: 'the report’s region' },
};

export interface PickerOptions {
  lang: Lang;
  /** The text field's id; the datalist is `<id>-list`, the match radios `<id>-<body id>`. */
  id: string;
  label: string;
  value: string;
  error?: string;
  bodies: readonly BodyOption[];
  suggestions: { body: BodyOption; reason: SuggestionReason }[];
  /** Several matched last time: offered as radio buttons (name `bodyId`). */
  candidates?: BodyOption[];
  more?: number;
}

/** The field: label, hint (with the suggestions), error, the text input with its datalist, and any matches to choose from. */
export function bodyPicker(o: PickerOptions): Html {
  const { lang, id } = o;
  const listId = `${id}-list`;
  const candidates = o.candidates ?? [];
  const described = [`${id}-hint`, o.error ? `${id}-error` : null].filter(Boolean).join(' ');
  const suggested = new Set(o.suggestions.map((s) => s.body.id));
  const hint =
    o.suggestions.length > 0
      ? bi(
          lang,
          `Ketik sebagian nama atau kode instansi, lalu pilih dari daftar. Usulan: ${o.suggestions.map((s) => `${s.body.name} (${REASON_WORDS[s.reason].id})`).join('; ')}.`,
          `Type part of the body’s name or code, then choose from the list. Suggested: ${o.suggestions.map((s) => `${s.body.name} (${REASON_WORDS[s.reason].en})`).join('; ')}.`,
        )
      : bi(
          lang,
          'Ketik sebagian nama atau kode instansi, lalu pilih dari daftar.',
          'Type part of the body’s name or code, then choose from the list.',
        );
  return html`<div class="field${o.error ? ' invalid' : ''}">
  <label for="${id}">${o.label}</label>
  <span class="hint" id="${id}-hint">${hint}</span>
  ${o.error ? html`<span class="error" id="${id}-error">${half(lang, o.error)}</span>` : ''}
  <input id="${id}" name="instansi" type="text" list="${listId}" value="${o.value}" maxlength="${MAX_TEXT}" autocomplete="off" spellcheck="false" aria-describedby="${described}"${raw(o.error ? ' aria-invalid="true"' : '')}>
  <datalist id="${listId}">${o.suggestions.map((s) => html`<option value="${s.body.name}" label="${REASON_WORDS[s.reason][lang]}"></option>`)}${o.bodies
    .filter((b) => !suggested.has(b.id))
    .map((b) => html`<option value="${b.name}">`)}</datalist>
</div>
${
  candidates.length > 0
    ? html`<fieldset class="candidates"><legend>${bi(lang, 'Instansi yang cocok: pilih satu', 'Matching bodies: choose one')}</legend>
  ${candidates.map(
    (b) =>
      html`<div class="choice"><input type="radio" id="${id}-${b.id}" name="bodyId" value="${b.id}"><label for="${id}-${b.id}">${b.name}</label></div>`,
  )}
  ${o.more ? html`<p class="hint">${bi(lang, `dan ${o.more} lainnya: ketik lebih lengkap untuk mempersempit.`, `and ${o.more} more: type more of the name to narrow it down.`)}</p>` : ''}
</fieldset>`
    : ''
}`;
}

import { html, raw } from 'hono/html';
import type { Action } from '../domain/workflow.ts';
import { type Lang, bi, pick } from './i18n.ts';
import type { Html } from './layout.ts';
import { field, formError } from './ui.ts';

/** The reporter's actions, in the order the tracking page offers them. */
export const REPORTER_ACTIONS: Action[] = ['reply', 'accept', 'rate', 'reopen', 'appeal', 'close'];

const ACTION_WORDS: Record<
  string,
  { title: { id: string; en: string }; button: { id: string; en: string }; message?: 'required' | 'optional' }
> = {
  reply: {
    title: { id: 'Balas atau tambah keterangan', en: 'Reply or add information' },
    button: { id: 'Kirim balasan', en: 'Send the reply' },
    message: 'required',
  },
  accept: {
    title: { id: 'Terima jawaban', en: 'Accept the answer' },
    button: { id: 'Terima jawaban', en: 'Accept the answer' },
    message: 'optional',
  },
  rate: {
    title: { id: 'Beri penilaian', en: 'Rate the handling' },
    button: { id: 'Kirim penilaian', en: 'Send the rating' },
    message: 'optional',
  },
  reopen: {
    title: { id: 'Belum selesai? Buka kembali', en: 'Not resolved? Reopen it' },
    button: { id: 'Buka kembali', en: 'Reopen' },
    message: 'required',
  },
  appeal: {
    title: { id: 'Ajukan banding atas arsip (sekali)', en: 'Appeal the archive (once)' },
    button: { id: 'Ajukan banding', en: 'Appeal' },
    message: 'required',
  },
  close: {
    title: { id: 'Tutup laporan', en: 'Close the report' },
    button: { id: 'Tutup laporan', en: 'Close the report' },
    message: 'optional',
  },
};

/** The reporter's forms for what they can do now; the error of the last attempt sits by its form. */
export function reporterActionForms(
  lang: Lang,
  r: { trackingId: string; availableActions: readonly string[] },
  failed: { action: string; message: string; field?: string } | null,
): Html {
  const actions = REPORTER_ACTIONS.filter((a) => r.availableActions.includes(a));
  if (actions.length === 0) return html``;
  const action = `/laporan/${r.trackingId}/tindakan${lang === 'en' ? '?lang=en' : ''}`;
  return html`<section aria-labelledby="tindakan"><h2 id="tindakan">${bi(lang, 'Tindakan Anda', 'What you can do')}</h2>
${actions.map((a) => {
  const w = ACTION_WORDS[a]!;
  const error = failed?.action === a && failed.field !== 'message' ? failed.message : undefined;
  return html`<form method="post" action="${action}" class="stack action"${raw(a === 'reply' ? ' enctype="multipart/form-data"' : '')}>
  <h3>${pick(lang, w.title)}</h3>
  <input type="hidden" name="aksi" value="${a}">
  ${formError(lang, error)}
  ${
    a === 'rate'
      ? html`<fieldset><legend>${bi(lang, 'Nilai (1 buruk – 5 sangat baik; 1–2 membuka kembali laporan)', 'Rating (1 poor – 5 very good; 1–2 reopens the report)')}</legend>
    <div class="actions">${[1, 2, 3, 4, 5].map((n) => html`<span class="choice"><input type="radio" id="rate-${n}" name="rating" value="${n}"><label for="rate-${n}">${n}</label></span>`)}</div></fieldset>`
      : ''
  }
  ${w.message ? field({ lang, name: 'message', label: bi(lang, w.message === 'required' ? 'Pesan' : 'Pesan (boleh kosong)', w.message === 'required' ? 'Message' : 'Message (optional)'), rows: 3, maxlength: 10000, id: `msg-${a}`, error: failed?.action === a && failed.field === 'message' ? failed.message : undefined }) : ''}
  ${a === 'reply' ? html`<div class="field"><label for="reply-files">${bi(lang, 'Lampiran (boleh kosong)', 'Attachments (optional)')}</label><input id="reply-files" name="attachments" type="file" multiple></div>` : ''}
  <button type="submit">${pick(lang, w.button)}</button>
</form>`;
})}
</section>`;
}

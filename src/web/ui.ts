import { html, raw } from 'hono/html';
import type { Lang } from './i18n.ts';
import type { Html } from './layout.ts';

/**
 * Form controls with their label, hint and error tied to them (aria-describedby, aria-invalid),
 * so a screen reader hears the server's error next to the field it concerns.
 */

/** The half of a bilingual server message ("Wajib diisi / Required") in the reader's language. */
export function half(lang: Lang, message: string): string {
  const at = message.indexOf(' / ');
  if (at < 0) return message;
  return lang === 'id' ? message.slice(0, at) : message.slice(at + 3);
}

export interface FieldOptions {
  name: string;
  /** The control's id, when one page has the same field twice (default `f-<name>`). */
  id?: string;
  label: string;
  value?: string;
  type?: 'text' | 'email' | 'tel' | 'password' | 'date' | 'search' | 'number';
  hint?: string;
  error?: string;
  required?: boolean;
  autocomplete?: string;
  maxlength?: number;
  lang: Lang;
  /** A textarea of this many rows instead of an input. */
  rows?: number;
  attrs?: string;
}

export function field(o: FieldOptions): Html {
  const id = o.id ?? `f-${o.name}`;
  const described = [o.hint ? `${id}-hint` : null, o.error ? `${id}-error` : null].filter(Boolean).join(' ');
  const attrs = raw(
    [
      described ? ` aria-describedby="${described}"` : '',
      o.error ? ' aria-invalid="true"' : '',
      o.required ? ' required' : '',
      o.autocomplete ? ` autocomplete="${o.autocomplete}"` : '',
      o.maxlength ? ` maxlength="${o.maxlength}"` : '',
      o.attrs ? ` ${o.attrs}` : '',
    ].join(''),
  );
  const control = o.rows
    ? html`<textarea id="${id}" name="${o.name}" rows="${o.rows}"${attrs}>${o.value ?? ''}</textarea>`
    : html`<input id="${id}" name="${o.name}" type="${o.type ?? 'text'}" value="${o.value ?? ''}"${attrs}>`;
  return html`<div class="field${o.error ? ' invalid' : ''}">
  <label for="${id}">${o.label}</label>
  ${o.hint ? html`<span class="hint" id="${id}-hint">${o.hint}</span>` : ''}
  ${o.error ? html`<span class="error" id="${id}-error">${half(o.lang, o.error)}</span>` : ''}
  ${control}
</div>`;
}

export interface Choice {
  value: string;
  label: string;
}

export function select(o: Omit<FieldOptions, 'type' | 'rows'> & { choices: Choice[]; empty?: string }): Html {
  const id = o.id ?? `f-${o.name}`;
  const described = [o.hint ? `${id}-hint` : null, o.error ? `${id}-error` : null].filter(Boolean).join(' ');
  return html`<div class="field${o.error ? ' invalid' : ''}">
  <label for="${id}">${o.label}</label>
  ${o.hint ? html`<span class="hint" id="${id}-hint">${o.hint}</span>` : ''}
  ${o.error ? html`<span class="error" id="${id}-error">${half(o.lang, o.error)}</span>` : ''}
  <select id="${id}" name="${o.name}"${raw(described ? ` aria-describedby="${described}"` : '')}${raw(o.error ? ' aria-invalid="true"' : '')}${raw(o.attrs ? ` ${o.attrs}` : '')}>
    ${o.empty !== undefined ? html`<option value="">${o.empty}</option>` : ''}
    ${o.choices.map((ch) => html`<option value="${ch.value}"${raw(ch.value === o.value ? ' selected' : '')}>${ch.label}</option>`)}
  </select>
</div>`;
}

/** A general error above a form (not about one field), announced when the page loads. */
export function formError(lang: Lang, message: string | undefined): Html {
  return message ? html`<p class="alert" role="alert">${half(lang, message)}</p>` : html``;
}

/**
 * SMS text rules (issue 11 §2): which alphabet a text needs, how many segments it takes, and how
 * a message is cut to fit. Pure functions, no I/O.
 *
 * GSM 03.38's default alphabet carries 160 characters in one SMS (153 a segment once the text is
 * split, the rest of each is the concatenation header); a character of its extension table (€ [ ]
 * { } \ ~ ^ |) takes two. A text with any character outside both goes as UCS-2: 70 characters
 * in one SMS, 67 a segment. Characters outside the Basic Multilingual Plane (emoji) take two
 * UCS-2 code units.
 */

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' + '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENDED = '^{}\\[~]|€\f';
const BASIC = new Set(GSM7_BASIC);
const EXTENDED = new Set(GSM7_EXTENDED);

export type SmsCoding = 'gsm7' | 'ucs2';

export interface SmsSize {
  coding: SmsCoding;
  /** Units the text takes: septets for GSM-7 (an extension character counts two), UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
}

export function smsCoding(text: string): SmsCoding {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENDED.has(ch)) return 'ucs2';
  return 'gsm7';
}

function unitsOf(text: string, coding: SmsCoding): number {
  if (coding === 'ucs2') return text.length; // UTF-16 code units: an emoji counts two, as on the air
  let units = 0;
  for (const ch of text) units += EXTENDED.has(ch) ? 2 : 1;
  return units;
}

const LIMITS: Record<SmsCoding, { single: number; part: number }> = {
  gsm7: { single: 160, part: 153 },
  ucs2: { single: 70, part: 67 },
};

export function smsSize(text: string): SmsSize {
  const coding = smsCoding(text);
  const units = unitsOf(text, coding);
  const { single, part } = LIMITS[coding];
  const segments = units === 0 ? 1 : units <= single ? 1 : Math.ceil(units / part);
  return { coding, units, segments };
}

/**
 * Typography that phones and word processors put into text, as the GSM alphabet writes it: a
 * reply that says "Laporan ‘ABC’ – diterima" should not cost UCS-2 (two and a half times the
 * segments) for its quotes and dash.
 */
const PLAIN: Record<string, string> = {
  '‘': "'",
  '’': "'",
  '‚': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '–': '-',
  '—': '-',
  '…': '...',
  '\u00a0': ' ',
  '•': '-',
  '×': 'x',
};

export function toGsmFriendly(text: string): string {
  let out = '';
  for (const ch of text) out += PLAIN[ch] ?? ch;
  return out;
}

/**
 * Cuts `text` to at most `maxSegments` segments, ending with "…" (or "..." in GSM-7) when cut,
 * at a word boundary where one is near.
 */
export function fitSegments(text: string, maxSegments: number): string {
  if (smsSize(text).segments <= maxSegments) return text;
  const coding = smsCoding(text);
  const ellipsis = coding === 'gsm7' ? '...' : '…';
  const budget = (maxSegments === 1 ? LIMITS[coding].single : LIMITS[coding].part * maxSegments) - unitsOf(ellipsis, coding);
  let used = 0;
  let cut = 0;
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const u = unitsOf(chars[i]!, coding);
    if (used + u > budget) break;
    used += u;
    cut = i + 1;
  }
  let head = chars.slice(0, cut).join('');
  const space = head.lastIndexOf(' ');
  if (space > head.length * 0.8) head = head.slice(0, space);
  return `${head.trimEnd()}${ellipsis}`;
}

export interface SmsCommandText {
  /** The first word, upper case, without punctuation: "LAPOR", "CEK", "LAPORYAI". */
  keyword: string;
  /** What follows the keyword, trimmed, inner whitespace kept. */
  rest: string;
}

/**
 * The keyword and the rest of an SMS. Phones and people write "lapor", "Lapor:", "LAPOR#…",
 * "  CEK  abc" or a keyword glued to a tracking ID with a dot; all read the same.
 */
export function splitCommand(text: string): SmsCommandText {
  const trimmed = text.replace(/^[\s\u200b\ufeff]+/, '');
  const m = /^([A-Za-z0-9]+)[\s:.#,;-]*/.exec(trimmed);
  if (!m) return { keyword: '', rest: trimmed.trim() };
  return { keyword: m[1]!.toUpperCase(), rest: trimmed.slice(m[0].length).trim() };
}

export interface ConcatInfo {
  reference: number;
  total: number;
  sequence: number;
}

/**
 * The concatenation header of one part of a long SMS, from the UDH as hex (Kannel's %u, or a
 * URL-encoded binary string turned into hex): IE 00 (8-bit reference) or IE 08 (16-bit). Null
 * when there is none, or it does not add up.
 */
export function concatInfo(udhHex: string | null | undefined): ConcatInfo | null {
  if (!udhHex) return null;
  const hex = udhHex.replace(/[^0-9a-fA-F]/g, '');
  if (hex.length < 2 || hex.length % 2 !== 0) return null;
  const bytes = Buffer.from(hex, 'hex');
  const length = bytes[0]!;
  let i = 1;
  while (i + 1 < bytes.length && i <= length) {
    const ie = bytes[i]!;
    const len = bytes[i + 1]!;
    const data = bytes.subarray(i + 2, i + 2 + len);
    if (data.length !== len) return null;
    if (ie === 0x00 && len === 3) return checked({ reference: data[0]!, total: data[1]!, sequence: data[2]! });
    if (ie === 0x08 && len === 4) return checked({ reference: data.readUInt16BE(0), total: data[2]!, sequence: data[3]! });
    i += 2 + len;
  }
  return null;
}

function checked(c: ConcatInfo): ConcatInfo | null {
  return c.total >= 1 && c.sequence >= 1 && c.sequence <= c.total ? c : null;
}

export interface SmsParts {
  coding: SmsCoding;
  /** The text of each segment, in order: one when it fits in a single SMS. */
  parts: string[];
}

/**
 * A text cut into the segments that carry it, for a gateway that sends each segment itself (Gammu
 * SMSD's outbox takes one row per part, each with its concatenation header). Up to 160 GSM-7
 * septets or 70 UCS-2 units is one SMS; longer, each part holds at most 153 or 67, and a part never
 * ends inside an extension character's two septets or an emoji's two UTF-16 units, so a part may
 * hold one unit less and the count can exceed `smsSize`'s by one.
 */
export function splitSegments(text: string): SmsParts {
  const coding = smsCoding(text);
  const { single, part } = LIMITS[coding];
  if (unitsOf(text, coding) <= single) return { coding, parts: [text] };
  const parts: string[] = [];
  let current = '';
  let used = 0;
  for (const ch of text) {
    const u = unitsOf(ch, coding);
    if (used + u > part) {
      parts.push(current);
      current = '';
      used = 0;
    }
    current += ch;
    used += u;
  }
  if (current !== '') parts.push(current);
  return { coding, parts };
}

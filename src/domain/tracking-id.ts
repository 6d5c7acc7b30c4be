import { randomInt } from 'node:crypto';

/**
 * Tracking IDs are read aloud over the phone and typed into SMS, so the alphabet leaves out
 * everything that sounds or looks alike: 0/O/D/Q, 1/I/L/J, 2/Z, 5/S, 8/B, U/V/W, G/6 and C/E/T
 * (whose Indonesian letter names — "se", "e", "te" — blur together on a bad line).
 * 15 symbols, 8 places: 2.56e9 values, drawn at random so they reveal nothing about volume;
 * a collision with an existing ID is caught by the unique index and drawn again.
 */
const ALPHABET = '34679AFHKMNPRXY';
export const TRACKING_ID_LENGTH = 8;

export function generateTrackingId(random: (max: number) => number = randomInt): string {
  let id = '';
  for (let i = 0; i < TRACKING_ID_LENGTH; i++) id += ALPHABET[random(ALPHABET.length)];
  return id;
}

/**
 * Accepts what a person types or dictates: any case, spaces or dashes between groups
 * ("k7mx-3pra"). Returns null when it cannot be one.
 */
export function normalizeTrackingId(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s\-_.]/g, '');
  if (compact.length !== TRACKING_ID_LENGTH) return null;
  for (const ch of compact) if (!ALPHABET.includes(ch)) return null;
  return compact;
}

/** Shown to people in two groups of four: "7KMX-3PRA". */
export function formatTrackingId(id: string): string {
  return `${id.slice(0, 4)}-${id.slice(4)}`;
}

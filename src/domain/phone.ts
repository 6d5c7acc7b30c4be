/**
 * Indonesian mobile numbers arrive as 0812…, 62812…, +62 812-… or from SMS gateways as 62812….
 * One canonical form (+62…) lets the same person sign in, and be matched by channel, however typed.
 */
export function normalizePhone(input: string): string | null {
  const digits = input.replace(/[\s\-().]/g, '');
  let national: string;
  if (/^\+62\d+$/.test(digits)) national = digits.slice(3);
  else if (/^62\d+$/.test(digits)) national = digits.slice(2);
  else if (/^0\d+$/.test(digits)) national = digits.slice(1);
  else return null;
  // Mobile (8xx) and fixed lines with area codes: 8 to 12 digits after the country code.
  if (!/^[1-9]\d{7,11}$/.test(national)) return null;
  return `+62${national}`;
}

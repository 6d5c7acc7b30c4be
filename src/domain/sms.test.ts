import assert from 'node:assert/strict';
import { test } from 'node:test';
import { smsSize, splitSegments } from './sms.ts';

const septets = (s: string) => smsSize(s).units;

test('a text that fits one SMS is one part: 160 GSM-7 septets, 70 UCS-2 units', () => {
  assert.deepEqual(splitSegments('A'.repeat(160)), { coding: 'gsm7', parts: ['A'.repeat(160)] });
  assert.deepEqual(splitSegments('ä'.repeat(70)).parts.length, 1);
  assert.deepEqual(splitSegments('ক'.repeat(70)), { coding: 'ucs2', parts: ['ক'.repeat(70)] });
  assert.deepEqual(splitSegments(''), { coding: 'gsm7', parts: [''] });
});

test('a longer text is cut into parts of at most 153 septets or 67 units, joined back to the text', () => {
  const gsm = 'Laporan '.repeat(40);
  const g = splitSegments(gsm);
  assert.equal(g.coding, 'gsm7');
  assert.equal(g.parts.join(''), gsm);
  assert.ok(g.parts.every((p) => septets(p) <= 153));
  assert.equal(g.parts.length, smsSize(gsm).segments);

  const ucs = 'Banjir 🌊 '.repeat(20);
  const u = splitSegments(ucs);
  assert.equal(u.coding, 'ucs2');
  assert.equal(u.parts.join(''), ucs);
  assert.ok(u.parts.every((p) => p.length <= 67));
});

test('a part never ends inside an extension character or an emoji', () => {
  // 161 septets: "A" then 80 × "€" (two septets each). Part one ends before the € that would make 154.
  const ext = splitSegments(`A${'€'.repeat(80)}`);
  assert.equal(ext.parts.length, 2);
  assert.equal(ext.parts[0], `A${'€'.repeat(76)}`);
  assert.ok(ext.parts.every((p) => septets(p) <= 153));

  // 66 units, then an emoji (two units) on the 67/68 boundary: it goes whole into part two.
  const emoji = splitSegments(`${'x'.repeat(66)}🌊${'y'.repeat(10)}`);
  assert.equal(emoji.parts[0], 'x'.repeat(66));
  assert.equal(emoji.parts[1], `🌊${'y'.repeat(10)}`);
  assert.ok(emoji.parts.every((p) => !/[\ud800-\udbff]$/.test(p) && !/^[\udc00-\udfff]/.test(p)));
});

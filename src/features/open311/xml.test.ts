import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseXmlDocument, toSpark } from '../../../test/support/open311-client.ts';
import { escapeXml, toXml } from './xml.ts';

test('every text is escaped, and what XML cannot hold is dropped', () => {
  assert.equal(escapeXml(`<a href="x">&'`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
  assert.equal(escapeXml('a\u0000b\u0007c\u001Fd\uFFFEe\uD800f'), 'abcdef');
  assert.equal(escapeXml('line\r\nnext\ttab'), 'line&#13;\nnext\ttab');
  assert.equal(escapeXml('Jalan 🚧 rusak ꦗꦭꦤ꧀'), 'Jalan 🚧 rusak ꦗꦭꦤ꧀');
});

test('lists are containers of named items, null is an empty element; the JSON twin reads back', () => {
  const value = [
    { code: 400, description: '<b>"x" & y</b>' },
    { code: 404, description: null },
  ];
  const xml = toXml('errors', value);
  assert.equal(
    xml,
    '<?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>400</code><description>&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;</description></error><error><code>404</code><description/></error></errors>\n',
  );
  assert.deepEqual(toSpark(parseXmlDocument(xml)), value);
});

test('a value that would break the document is refused, not written', () => {
  assert.throws(() => toXml('services', [{ 'bad name': 1 }]), /element name/);
  assert.throws(() => toXml('unknown_list', [1]), /no item element/);
  assert.equal(toXml('x', { n: Number.NaN }), '<?xml version="1.0" encoding="utf-8"?>\n<x><n/></x>\n');
});

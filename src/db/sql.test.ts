import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allOf, joinSql, rawSql, sql } from './sql.ts';

test('values become numbered placeholders; nested fragments are renumbered in place', () => {
  const scope = sql`r.body_id = ${7}::bigint OR r.suggested_body_id = ${7}::bigint`;
  const text = sql`SELECT * FROM reports r WHERE r.tracking_id = ${'ABC'} AND (${scope}) AND r.status = ${'submitted'}`;
  assert.deepEqual(text.compile(), {
    text: 'SELECT * FROM reports r WHERE r.tracking_id = $1 AND (r.body_id = $2::bigint OR r.suggested_body_id = $3::bigint) AND r.status = $4',
    params: ['ABC', 7, 7, 'submitted'],
  });
});

test('a value that looks like SQL or a placeholder stays a parameter', () => {
  const { text, params } = sql`x = ${'$1; DROP TABLE reports'}`.compile();
  assert.equal(text, 'x = $1');
  assert.deepEqual(params, ['$1; DROP TABLE reports']);
});

test('allOf wraps each condition and joins with AND; none is TRUE; raw text carries no parameter', () => {
  assert.equal(allOf([]).compile().text, 'TRUE');
  const both = allOf([sql`a = ${1}`, rawSql('b IS NULL'), sql`c = ${3}`]).compile();
  assert.deepEqual(both, { text: '(a = $1) AND (b IS NULL) AND (c = $2)', params: [1, 3] });
  assert.equal(joinSql([sql`a = ${1}`, sql`b = ${2}`], ', ').compile(5).text, 'a = $6, b = $7');
});

import type { Queryable } from './db.ts';

/**
 * SQL with its parameters, written as a tagged template: every `${value}` becomes a numbered
 * placeholder, and a nested fragment is spliced in with its own values renumbered. Conditions
 * built in different places (a caller's scope, a list's filters) combine without anyone counting
 * `$n` by hand.
 *
 *   const scope = sql`r.body_id = ${bodyId}`;
 *   const rows = await query(db, sql`SELECT id FROM reports r WHERE ${scope} AND r.status = ${status}`);
 */
export class Sql {
  readonly strings: readonly string[];
  readonly values: readonly unknown[];
  constructor(strings: readonly string[], values: readonly unknown[]) {
    this.strings = strings;
    this.values = values;
  }

  /** `$1 … $n` text and its parameters, numbered from `start + 1`. */
  compile(start = 0): { text: string; params: unknown[] } {
    const params: unknown[] = [];
    const text = this.render(params, start);
    return { text, params };
  }

  private render(params: unknown[], start: number): string {
    let text = this.strings[0]!;
    this.values.forEach((value, i) => {
      if (value instanceof Sql) text += value.render(params, start);
      else {
        params.push(value);
        text += `$${start + params.length}`;
      }
      text += this.strings[i + 1]!;
    });
    return text;
  }
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return new Sql(strings, values);
}

/** Trusted SQL text (a column list, an ORDER BY from a fixed set): never user input. */
export function rawSql(text: string): Sql {
  return new Sql([text], []);
}

/** Fragments joined by a separator; `empty` when there are none. */
export function joinSql(parts: readonly Sql[], separator: string, empty = ''): Sql {
  if (parts.length === 0) return rawSql(empty);
  const strings = ['', ...parts.slice(1).map(() => separator), ''];
  return new Sql(strings, parts);
}

/** Every condition, each in parentheses, joined by AND; TRUE when there are none. */
export function allOf(conditions: readonly Sql[]): Sql {
  return joinSql(
    conditions.map((c) => sql`(${c})`),
    ' AND ',
    'TRUE',
  );
}

export function query<T = Record<string, unknown>>(db: Queryable, fragment: Sql): Promise<T[]> {
  const { text, params } = fragment.compile();
  return db.query<T>(text, params);
}

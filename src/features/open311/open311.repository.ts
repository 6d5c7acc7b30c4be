import type { Queryable } from '../../db/db.ts';

/** The names of regions by code (the address of a request, from its village up to its province). */
export async function selectRegionNames(db: Queryable, codes: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (codes.length === 0) return out;
  const rows = await db.query<{ code: string; name: string }>('SELECT code, name FROM regions WHERE code = ANY($1::text[])', [codes]);
  for (const row of rows) out.set(row.code, row.name);
  return out;
}

export interface ResolutionClockRow {
  report_id: number;
  state: string;
  due_at: Date | null;
  time_zone: string;
}

/** The latest resolution clock of each report (its due time is when the request can be expected done). */
export async function selectResolutionClocks(db: Queryable, reportIds: number[]): Promise<Map<number, ResolutionClockRow>> {
  const out = new Map<number, ResolutionClockRow>();
  if (reportIds.length === 0) return out;
  const rows = await db.query<ResolutionClockRow>(
    `SELECT DISTINCT ON (report_id) report_id, state, due_at, time_zone FROM report_clocks
      WHERE report_id = ANY($1::bigint[]) AND kind = 'resolution' ORDER BY report_id, cycle DESC`,
    [reportIds],
  );
  for (const row of rows) out.set(row.report_id, row);
  return out;
}

export interface InboundOutcomeRow {
  message_id: string;
  status: 'pending' | 'processed' | 'unparsed' | 'partial';
  outcome: string | null;
  reason: string | null;
  tracking_id: string | null;
}

const OUTCOME = `SELECT m.message_id, m.status, m.outcome, m.reason, r.tracking_id
  FROM inbound_messages m LEFT JOIN reports r ON r.id = m.report_id`;

/** What a stored Open311 request came to: a report, still pending, or refused with a reason. */
export async function selectInboundOutcome(db: Queryable, inboundId: number): Promise<InboundOutcomeRow | null> {
  const rows = await db.query<InboundOutcomeRow>(`${OUTCOME} WHERE m.id = $1`, [inboundId]);
  return rows[0] ?? null;
}

/** The same, by the token a POST answered with (the message id, which only the key's holder can know). */
export async function selectOutcomeByToken(db: Queryable, token: string): Promise<InboundOutcomeRow | null> {
  const rows = await db.query<InboundOutcomeRow>(`${OUTCOME} WHERE m.channel = 'open311' AND m.message_id = $1 ORDER BY m.id LIMIT 1`, [
    token,
  ]);
  return rows[0] ?? null;
}

/** The active bodies (K/L/D, not units) among these codes. */
export async function selectActiveBodyCodes(db: Queryable, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db.query<{ code: string }>(
    `SELECT code FROM bodies WHERE code = ANY($1::text[]) AND active AND kind NOT IN ('unit', 'ombudsman')`,
    [codes],
  );
  return new Set(rows.map((r) => r.code));
}

/**
 * SMS benchmark (npm run bench:sms): SMS to 1708 through a real Kannel (Debian's bearerbox and
 * smsbox with fakesmsc as the phone network, deploy/kannel/kannel.conf) into the real server
 * (`node src/main.ts`, its own outbox pump and Kannel sender), and the receipts back to the phones.
 *
 *  1. Rate: BENCH_SMS_RATE_COUNT messages (default 2,000) at the gateway's pace (fakesmsc 5 ms
 *     apart, BENCH_SMS_RATE_INTERVAL); the
 *     time from the first MO to the last receipt on a phone, and so messages per second, end to end.
 *  2. Burst: BENCH_SMS_BURST messages (default 10,000) spread over BENCH_SMS_BURST_SECONDS
 *     (default 60). Then: none lost (every MO Kannel accepted is a stored message and a report),
 *     none doubled (one report per message), every receipt delivered (each report's tracking ID
 *     reached a phone), and the time until the last receipt.
 *
 * Target (issue 11 §7): the pipeline keeps up with the gateway, about 200 messages a second with
 * fakesmsc here: the end-to-end rate is at least the rate fakesmsc sent at.
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL   postgres://postgres@127.0.0.1:5432/lapor_bench_sms — DROPPED and re-created;
 *                        BENCH_ENGINE=embedded uses the embedded database in a temporary folder instead
 *   BENCH_SMS_RATE_COUNT, BENCH_SMS_BURST, BENCH_SMS_BURST_SECONDS   as above
 *
 * Always exits 0 once it has run (it is a benchmark, not a test); 1 when it could not run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { kannelAvailable, NO_KANNEL, startKannel } from '../test/support/kannel.ts';
import { freePort, keepLastLines, recreateDatabase, stopChild, waitUntilHealthy } from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const env = process.env;
const EMBEDDED = env.BENCH_ENGINE === 'embedded';
const DATABASE_URL = env.BENCH_DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/lapor_bench_sms';
const RATE_COUNT = Number(env.BENCH_SMS_RATE_COUNT ?? 2000);
const BURST = Number(env.BENCH_SMS_BURST ?? 10_000);
/** fakesmsc's pace in the rate phase: 5 ms apart, 200 a second, the gateway's pace here (stack notes). */
const RATE_INTERVAL = Number(env.BENCH_SMS_RATE_INTERVAL ?? 0.005);
const BURST_SECONDS = Number(env.BENCH_SMS_BURST_SECONDS ?? 60);

function trackingIdsIn(texts: string[]): Set<string> {
  const ids = new Set<string>();
  for (const t of texts) {
    const m = /nomor pelacakan ([0-9A-Z]{8})/.exec(t);
    if (m) ids.add(m[1]!);
  }
  return ids;
}

async function main(): Promise<void> {
  if (!kannelAvailable()) {
    console.error(NO_KANNEL);
    process.exit(1);
  }
  const port = await freePort();
  const laporUrl = `http://127.0.0.1:${port}`;
  const kannel = await startKannel({ laporUrl });
  const dataDir = EMBEDDED ? fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-bench-sms-')) : null;
  if (!EMBEDDED) await recreateDatabase(DATABASE_URL);
  const log: string[] = [];
  let server: ChildProcess | null = null;
  const db = EMBEDDED ? null : new pg.Client({ connectionString: DATABASE_URL });
  try {
    server = spawn(process.execPath, [path.join(ROOT, 'src/main.ts')], {
      cwd: ROOT,
      env: {
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DEMO: 'false',
        LOG_LEVEL: 'warn',
        ...(EMBEDDED ? { DATA_DIR: dataDir!, DATABASE_URL: '' } : { DATABASE_URL }),
        KANNEL_SENDSMS_URL: kannel.sendsmsUrl,
        KANNEL_USERNAME: kannel.username,
        KANNEL_PASSWORD: kannel.password,
        KANNEL_INCOMING_KEY: kannel.incomingKey,
        KANNEL_DLR_URL: `${laporUrl}/channels/kannel/dlr`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    keepLastLines(server, log);
    await waitUntilHealthy(server, laporUrl, log, 120_000);
    // (the embedded database has one session, the server's: its counts come from the phones only)
    const count = async (sql: string): Promise<number> => Number((await db!.query(sql)).rows[0].n);
    if (db) await db.connect();
    console.log(
      `bench:sms — ${new Date().toISOString()}, ${os.cpus().length} CPUs, ${EMBEDDED ? 'embedded database' : 'PostgreSQL'}, Kannel with fakesmsc`,
    );

    // Warm-up: one message end to end.
    kannel.sendMo('081299990000', 'LAPOR Pemanasan: lampu jalan di depan kantor kelurahan mati.');
    await kannel.waitForMts((m) => m.length >= 1, 30_000);

    const phase = async (name: string, n: number, intervalSeconds: number, prefix: string) => {
      const mtsBefore = kannel.mts.length;
      const started = Date.now();
      const burst = kannel.burst({
        count: n,
        intervalSeconds,
        senderPrefix: prefix,
        text: `LAPOR Uji beban ${name}: jalan berlubang di RT nomor`,
      });
      const { sent } = await burst;
      const sentAt = Date.now();
      // Every receipt on a phone: one MT (joined from its parts) per report.
      const until = Date.now() + Math.max(120_000, n * 20);
      let last = Date.now();
      let seen = 0;
      while (Date.now() < until) {
        const now = kannel.mts.length - mtsBefore;
        if (now !== seen) {
          seen = now;
          last = Date.now();
        }
        if (seen >= sent) break;
        if (Date.now() - last > 30_000) break; // nothing for 30 s: what is missing is missing
        await new Promise((r) => setTimeout(r, 100));
      }
      const lastMt = kannel.mts.at(-1)?.at ?? Date.now();
      const receipts = kannel.mts.slice(mtsBefore).map((m) => m.text);
      return { sent, sendSeconds: (sentAt - started) / 1000, untilLastSeconds: (lastMt - started) / 1000, receipts };
    };

    // 1. Rate
    const rate = await phase('laju', RATE_COUNT, RATE_INTERVAL, '0811');
    const rateIds = trackingIdsIn(rate.receipts);
    console.log(
      `\n1. Rate: ${rate.sent} MOs sent by fakesmsc in ${rate.sendSeconds.toFixed(1)} s (${(rate.sent / rate.sendSeconds).toFixed(0)}/s)`,
    );
    console.log(
      `   last receipt on a phone after ${rate.untilLastSeconds.toFixed(1)} s: ${(rate.sent / rate.untilLastSeconds).toFixed(0)} messages/s end to end ` +
        `(MO → stored → report → receipt through sendsms → phone); receipts seen ${rateIds.size}/${rate.sent}`,
    );

    // 2. Burst
    const interval = BURST_SECONDS / BURST;
    const burst = await phase('lonjakan', BURST, interval, '0812');
    const burstIds = trackingIdsIn(burst.receipts);
    console.log(`\n2. Burst: ${burst.sent} MOs in ${burst.sendSeconds.toFixed(1)} s (${(burst.sent / burst.sendSeconds).toFixed(0)}/s)`);
    console.log(
      `   last receipt after ${burst.untilLastSeconds.toFixed(1)} s; receipts with distinct tracking IDs on phones: ${burstIds.size}`,
    );
    const accepted = kannel.mosAccepted().length;
    if (db) {
      const stored = await count(`SELECT count(*) AS n FROM inbound_messages`);
      const reports = await count(`SELECT count(*) AS n FROM reports WHERE channel = 'sms'`);
      const doubled = await count(
        `SELECT count(*) AS n FROM (SELECT message_id FROM inbound_messages GROUP BY message_id HAVING count(*) > 1) d`,
      );
      const notReport = await count(`SELECT count(*) AS n FROM inbound_messages WHERE status <> 'processed' OR outcome <> 'report'`);
      const undelivered = await count(
        `SELECT count(*) AS n FROM outbox WHERE channel = 'sms' AND template = 'report.received' AND (status <> 'sent' OR delivery_status IS DISTINCT FROM 'delivered')`,
      );
      console.log(`\n   MOs Kannel accepted from the SMSC (access log): ${accepted} (warm-up 1 + rate ${rate.sent} + burst ${burst.sent})`);
      console.log(`   stored messages ${stored}, SMS reports ${reports}, messages stored twice ${doubled}, not a report ${notReport}`);
      console.log(`   receipts not delivered by Kannel's own report ${undelivered}`);
      const lost = accepted - stored;
      console.log(
        `   verdict: lost ${lost}, doubled ${reports - stored + doubled}, receipts missing on phones ${rate.sent + burst.sent - rateIds.size - burstIds.size}`,
      );
    } else {
      console.log(`\n   MOs Kannel accepted: ${accepted}; (embedded database: counts from the phones only)`);
    }
    // Kept up: the last receipt of each phase came within a few seconds of its last MO.
    const keptUp = rate.untilLastSeconds - rate.sendSeconds < 5 && burst.untilLastSeconds - burst.sendSeconds < 5;
    console.log(
      `\nTarget: keeps up with the gateway (each phase's last receipt within 5 s of its last MO: ` +
        `${(rate.untilLastSeconds - rate.sendSeconds).toFixed(1)} s and ${(burst.untilLastSeconds - burst.sendSeconds).toFixed(1)} s): ${keptUp ? 'met' : 'NOT met'}`,
    );
  } finally {
    await db?.end().catch(() => undefined);
    await stopChild(server);
    await kannel.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

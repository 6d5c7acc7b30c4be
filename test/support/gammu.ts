import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { smsCoding } from '../../src/domain/sms.ts';

/**
 * A real Gammu SMSD (Debian's gammu-smsd) in its SQL mode on a fresh PostgreSQL database of its
 * own on 127.0.0.1:5432, running the repository's deploy/gammu/smsdrc with Gammu's dummy phone:
 * a folder whose sms/1 … sms/5 are the phone's message folders. An SMS "arrives" as a Gammu
 * backup file written into sms/1, which Gammu reads, deletes and inserts into its inbox; what
 * lapor writes into Gammu's outbox, Gammu "sends" (the dummy phone accepts every message) and
 * moves to sentitems. A delivery report from the network is a status-report file in sms/1.
 */

const CONF = path.resolve(import.meta.dirname, '../../deploy/gammu/smsdrc');
const LAPOR_SQL = path.resolve(import.meta.dirname, '../../deploy/gammu/pgsql-lapor.sql');
export const GAMMU_SCHEMA = '/usr/share/doc/gammu-smsd/examples/pgsql.sql';
const SERVER = { host: '127.0.0.1', port: 5432 };
const ADMIN_URL = `postgres://postgres@${SERVER.host}:${SERVER.port}/postgres`;

export function gammuInstalled(): boolean {
  return spawnSync('sh', ['-c', 'command -v gammu-smsd'], { stdio: 'ignore' }).status === 0;
}

async function postgresAnswers(): Promise<boolean> {
  const open = await new Promise<boolean>((resolve) => {
    const socket = net.connect(SERVER.port, SERVER.host);
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
  if (!open) return false;
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why the Gammu tests cannot run here, or false when they can. */
export async function gammuSkipReason(): Promise<string | false> {
  if (!gammuInstalled()) return 'Gammu SMSD is not installed (apt-get install gammu gammu-smsd; .ci/run installs them)';
  if (!fs.existsSync(GAMMU_SCHEMA)) return `Gammu SMSD's schema ${GAMMU_SCHEMA} is missing (does dpkg leave out /usr/share/doc here?)`;
  if (!(await postgresAnswers()))
    return `no PostgreSQL server answers on ${SERVER.host}:${SERVER.port} as postgres (Gammu SMSD keeps its messages there)`;
  return false;
}

export interface SentItem {
  id: number;
  part: number;
  status: string;
  to: string;
  text: string;
  coding: string;
  udh: string;
  creator: string;
}

export interface SentMessage {
  /** Gammu's outbox ID. */
  id: number;
  text: string;
  parts: number;
  complete: boolean;
  statuses: string[];
}

export interface Gammu {
  /** GAMMU_DATABASE_URL for lapor. */
  url: string;
  phoneId: string;
  /** Gammu's database, to look at its tables. */
  db: pg.Pool;
  /** A citizen's SMS to the modem: GSM-7 or UCS-2 as its text needs, one part unless `udh` says otherwise. */
  receive(from: string, text: string, options?: { udh?: string }): void;
  /** A long SMS as a phone sends it: its parts, each with its concatenation header. */
  receiveParts(from: string, parts: string[], reference: number): void;
  /** The network's delivery report on the last message sent to `to`. */
  deliveryReport(to: string, status: 'Delivered' | 'Failed' | 'Pending'): void;
  /** Gammu's inbox rows from a sender. */
  inbox(from: string): Promise<{ id: number; processed: boolean; text: string; udh: string }[]>;
  sentItems(to: string): Promise<SentItem[]>;
  /** Waits until `predicate` holds over the sentitems to `to`. */
  waitForSent(to: string, predicate: (items: SentItem[]) => boolean, timeoutMs?: number): Promise<SentItem[]>;
  /**
   * The SMS to `to` as the phone puts them together: the parts of each message joined in order;
   * `complete` once Gammu has sent every part its header announces.
   */
  messagesTo(to: string): Promise<SentMessage[]>;
  stop(): Promise<void>;
}

/** Gammu's "unicode": UTF-16, big-endian, as hex. */
const ucs2Hex = (s: string) => Buffer.from(s, 'utf16le').swap16().toString('hex').toUpperCase();

/** A local time stamp as Gammu's backup files write it (Gammu reads it in its own time zone). */
function backupTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}T${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

function backupFile(fields: Record<string, string | number>, text: string): string {
  const lines = ['[SMSBackup000]'];
  for (const [k, v] of Object.entries(fields)) lines.push(`${k} = ${v}`);
  const hex = ucs2Hex(text);
  for (let i = 0, n = 0; i < hex.length || n === 0; i += 200, n++)
    lines.push(`Text${String(n).padStart(2, '0')} = ${hex.slice(i, i + 200)}`);
  return `${lines.join('\r\n')}\r\n`;
}

function stopProcess(p: ChildProcess | null, timeoutMs = 5000): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    p.kill('SIGTERM');
  });
}

export async function startGammu(): Promise<Gammu> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-gammu-'));
  const device = path.join(dir, 'phone');
  for (let i = 1; i <= 5; i++) fs.mkdirSync(path.join(device, 'sms', String(i)), { recursive: true });
  const staging = path.join(dir, 'staging');
  fs.mkdirSync(staging);
  const name = `test_gammu_${process.pid}`;
  const url = `postgres://postgres@${SERVER.host}:${SERVER.port}/${name}`;
  const phoneId = `lapor-test-${process.pid}`;

  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const db = new pg.Pool({ connectionString: url, max: 3 });
  db.on('error', () => undefined);
  // Gammu's schema as shipped, without CREATE LANGUAGE (plpgsql is built into PostgreSQL 10+,
  // and the statement fails there); then what lapor adds (deploy/gammu/pgsql-lapor.sql).
  const schema = fs
    .readFileSync(GAMMU_SCHEMA, 'utf8')
    .split('\n')
    .filter((line) => !/^\s*CREATE LANGUAGE/i.test(line))
    .join('\n');
  await db.query(schema);
  await db.query(fs.readFileSync(LAPOR_SQL, 'utf8'));

  const logFile = path.join(dir, 'smsd.log');
  const conf = fs
    .readFileSync(CONF, 'utf8')
    .replaceAll('{{DEVICE}}', device)
    .replaceAll('{{CONNECTION}}', 'none')
    .replaceAll('{{MODEL}}', 'dummy')
    .replaceAll('{{DB_HOST}}', `${SERVER.host}:${SERVER.port}`)
    .replaceAll('{{DB_USER}}', 'postgres')
    .replaceAll('{{DB_PASSWORD}}', '')
    .replaceAll('{{DB_NAME}}', name)
    .replaceAll('{{PHONE_ID}}', phoneId)
    .replaceAll('{{LOG_FILE}}', logFile);
  if (conf.includes('{{')) throw new Error('smsdrc has a placeholder the harness does not fill');
  const confPath = path.join(dir, 'smsdrc');
  fs.writeFileSync(confPath, conf);
  const out = fs.openSync(path.join(dir, 'smsd.out'), 'a');
  const smsd = spawn('gammu-smsd', ['-c', confPath], { stdio: ['ignore', out, out] });
  const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n') : '(no log)');

  // Gammu records its phone once it has connected to the database and to the phone.
  const until = Date.now() + 15_000;
  for (;;) {
    if (smsd.exitCode !== null) throw new Error(`gammu-smsd exited (${smsd.exitCode}):\n${log()}`);
    const { rows } = await db.query('SELECT 1 FROM phones WHERE "ID" = $1', [phoneId]);
    if (rows.length > 0) break;
    if (Date.now() > until) throw new Error(`gammu-smsd did not start within 15 s:\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  let location = 0;
  const drop = (content: string) => {
    // Written aside and moved in whole: Gammu never reads half a file.
    location += 1;
    const tmp = path.join(staging, String(location));
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, path.join(device, 'sms', '1', String(location)));
  };
  const deliver = (from: string, text: string, udh?: string) => {
    const fields: Record<string, string | number> = {
      SMSC: '"+6281100000000"',
      SMSCUnicode: ucs2Hex('+6281100000000'),
      PDU: 'Deliver',
      DateTime: backupTime(new Date()),
      State: 'UnRead',
      Number: `"${from}"`,
      NumberUnicode: ucs2Hex(from),
    };
    if (udh) fields.UDH = udh;
    drop(
      backupFile(
        {
          ...fields,
          Coding: smsCoding(text) === 'ucs2' ? 'Unicode_No_Compression' : 'Default_No_Compression',
          Folder: 1,
          Length: text.length,
          Class: -1,
        },
        text,
      ),
    );
  };

  const gammu: Gammu = {
    url,
    phoneId,
    db,
    receive(from, text, options = {}) {
      deliver(from, text, options.udh);
    },
    receiveParts(from, parts, reference) {
      const hex = (n: number) => n.toString(16).padStart(2, '0').toUpperCase();
      parts.forEach((part, i) => {
        deliver(from, part, [5, 0, 3, reference, parts.length, i + 1].map(hex).join(''));
      });
    },
    deliveryReport(to, status) {
      // Gammu pairs a report with the sent part by SMSC, number and message reference (the dummy
      // phone gives every message 255), within DeliveryReportDelay of its sending time.
      drop(
        backupFile(
          {
            SMSC: '"123456"',
            SMSCUnicode: ucs2Hex('123456'),
            PDU: 'Status_Report',
            DateTime: backupTime(new Date()),
            State: 'UnRead',
            Number: `"${to}"`,
            NumberUnicode: ucs2Hex(to),
            Coding: 'Default_No_Compression',
            Folder: 1,
            Length: status.length,
            Class: -1,
            MessageReference: 255,
          },
          status,
        ),
      );
    },
    async inbox(from) {
      const { rows } = await db.query(
        `SELECT "ID" AS id, "Processed" AS processed, "TextDecoded" AS text, "UDH" AS udh FROM inbox WHERE "SenderNumber" = $1 ORDER BY "ID"`,
        [from],
      );
      return rows;
    },
    async sentItems(to) {
      const { rows } = await db.query<SentItem>(
        `SELECT "ID" AS id, "SequencePosition" AS part, "Status" AS status, "DestinationNumber" AS to, "TextDecoded" AS text,
                "Coding" AS coding, "UDH" AS udh, "CreatorID" AS creator
           FROM sentitems WHERE "DestinationNumber" = $1 ORDER BY "ID", "SequencePosition"`,
        [to],
      );
      return rows;
    },
    async waitForSent(to, predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      let items: SentItem[] = [];
      while (Date.now() < deadline) {
        items = await gammu.sentItems(to);
        if (predicate(items)) return items;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`waited ${timeoutMs} ms for sentitems to ${to}; have ${JSON.stringify(items)}\n${log()}`);
    },
    async messagesTo(to) {
      const byId = new Map<number, SentItem[]>();
      for (const item of await gammu.sentItems(to)) byId.set(item.id, [...(byId.get(item.id) ?? []), item]);
      return [...byId.entries()].map(([id, parts]) => {
        const total = parts[0]!.udh ? Number.parseInt(parts[0]!.udh.slice(8, 10), 16) : 1;
        return {
          id,
          text: parts.map((p) => p.text).join(''),
          parts: parts.length,
          complete: parts.length === total,
          statuses: parts.map((p) => p.status),
        };
      });
    },
    async stop() {
      await stopProcess(smsd);
      fs.closeSync(out);
      await db.end();
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      if (!process.env.KEEP_GAMMU_LOGS) fs.rmSync(dir, { recursive: true, force: true });
      else console.log(`Gammu logs kept in ${dir}`);
    },
  };
  return gammu;
}

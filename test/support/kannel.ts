import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real Kannel (Debian's bearerbox and smsbox) on 127.0.0.1 with a fake SMSC (kannel-extras'
 * fakesmsc), running the repository's own deploy/kannel/kannel.conf. fakesmsc plays the phone
 * network: each MO line written to it reaches lapor through bearerbox, smsbox and the get-url;
 * each MT that lapor sends through sendsms comes out of it as "Got message N: <from> <to> text <text>".
 */

export const FAKESMSC = '/usr/lib/kannel/test/fakesmsc';
const CONF = path.resolve(import.meta.dirname, '../../deploy/kannel/kannel.conf');

export function kannelAvailable(): boolean {
  return fs.existsSync(FAKESMSC) && spawnSync('sh', ['-c', 'command -v bearerbox && command -v smsbox'], { stdio: 'ignore' }).status === 0;
}
export const NO_KANNEL = 'Kannel is not installed (apt-get install kannel kannel-extras; .ci/run installs them)';

export interface Mt {
  from: string;
  to: string;
  text: string;
  /** The SMS segments it came in. */
  parts: number;
  at: number;
}

export interface BurstOptions {
  count: number;
  intervalSeconds: number;
  senderPrefix: string;
  text: string;
}

export interface Kannel {
  /** KANNEL_SENDSMS_URL for lapor. */
  sendsmsUrl: string;
  username: string;
  password: string;
  incomingKey: string;
  /** What reached the phones (fakesmsc), in order. */
  mts: Mt[];
  /** A citizen's SMS to 1708: `text` as a phone sends it (UCS-2 when it has to be). */
  sendMo(from: string, text: string, to?: string): void;
  /** A long SMS as a phone sends it: in parts, each with its concatenation header (GSM text parts). */
  sendMoParts(from: string, parts: string[], reference: number, to?: string): void;
  /** Waits until `predicate` holds over the MTs received so far. */
  waitForMts(predicate: (mts: Mt[]) => boolean, timeoutMs?: number): Promise<void>;
  /**
   * A burst from the network: `count` MOs `intervalSeconds` apart from one fakesmsc, each sender
   * `senderPrefix` + random digits and each text ending in a random number. Resolves when fakesmsc
   * has sent them all (it keeps the link, and prints the replies).
   */
  burst(options: BurstOptions): Promise<{ sent: number }>;
  /** Resolves once fakesmsc has tried every MO given to it. */
  moQueueEmpty(): Promise<void>;
  /** The senders of the MOs bearerbox took from the SMSC (its access log), in order: what Kannel owes lapor. */
  mosAccepted(): string[];
  /** Stops Kannel (bearerbox and smsbox, SIGTERM) and starts it again on the same spool: what bearerbox held is kept. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} did not open within ${timeoutMs} ms`);
}

async function waitForPortClosed(port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const free = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '0.0.0.0', () => s.close(() => resolve(true)));
    });
    if (free) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} still in use after ${timeoutMs} ms`);
}

function stopProcess(p: ChildProcess | null, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 5000): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
    }, timeoutMs);
    p.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    p.kill(signal);
  });
}

/** fakesmsc's MO line: "sender receiver text <text>" for GSM text, "… ucs2 <url-encoded UTF-16BE>" otherwise. */
function moLine(from: string, to: string, text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return `${from} ${to} text ${text}\n`;
  const utf16be = Buffer.from(text, 'utf16le').swap16();
  return `${from} ${to} ucs2 ${[...utf16be].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')}\n`;
}

/** fakesmsc's url-encoding of bytes: %XX, + for a space, any other character as itself. */
function urlBytes(encoded: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const c = encoded[i]!;
    if (c === '%' && i + 2 < encoded.length + 0) {
      bytes.push(Number.parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c === '+' ? 0x20 : c.charCodeAt(0));
  }
  return Buffer.from(bytes);
}

function looksUtf16be(bytes: Buffer): boolean {
  let zeros = 0;
  for (let i = 0; i < bytes.length; i += 2) if (bytes[i] === 0) zeros += 1;
  return zeros >= bytes.length / 2 / 3;
}

export async function startKannel(options: { laporUrl: string }): Promise<Kannel> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-kannel-'));
  fs.mkdirSync(path.join(dir, 'spool'));
  const ports = { admin: await freePort(), smsbox: await freePort(), fakesmsc: await freePort(), sendsms: await freePort() };
  const secrets = { admin: `adm-${process.pid}`, user: 'lapor', password: `pw-${process.pid}`, key: `key-${process.pid}` };
  const conf = fs
    .readFileSync(CONF, 'utf8')
    .replaceAll('{{ADMIN_PORT}}', String(ports.admin))
    .replaceAll('{{ADMIN_PASSWORD}}', secrets.admin)
    .replaceAll('{{SMSBOX_PORT}}', String(ports.smsbox))
    .replaceAll('{{FAKESMSC_PORT}}', String(ports.fakesmsc))
    .replaceAll('{{SENDSMS_PORT}}', String(ports.sendsms))
    .replaceAll('{{SENDSMS_USER}}', secrets.user)
    .replaceAll('{{SENDSMS_PASSWORD}}', secrets.password)
    .replaceAll('{{LAPOR_URL}}', options.laporUrl)
    .replaceAll('{{INCOMING_KEY}}', secrets.key)
    .replaceAll('{{DIR}}', dir);
  if (conf.includes('{{')) throw new Error('kannel.conf has a placeholder the harness does not fill');
  const confPath = path.join(dir, 'kannel.conf');
  fs.writeFileSync(confPath, conf);

  let bearerbox: ChildProcess | null = null;
  let smsbox: ChildProcess | null = null;
  let fakesmsc: ChildProcess | null = null;
  const mts: Mt[] = [];
  const partsOf = new Map<string, Map<number, string>>();
  // fakesmsc's interactive mode takes one line per read of its stdin and loses the rest of what
  // that read brought. So each MO is one fakesmsc run, `-m 1 "<line>"`: it connects, sends it,
  // and stays connected to print the MTs until the next MO replaces it (MTs sent in between wait
  // in bearerbox for the next connection). One run at a time: the fake SMSC takes one link.
  const queue: string[] = [];
  let sentOne: (() => void) | null = null;
  let writing = false;
  let linkStartedAt = 0;
  let moSent = 0;
  let lastMtAt = 0;
  const drain = async () => {
    if (writing) return;
    writing = true;
    while (queue.length > 0) {
      const line = queue.shift()!;
      // The replies to the last MO come within a few hundred milliseconds: let them arrive on this
      // link before it is replaced (a reply sent in between waits in bearerbox for the next one).
      while (Date.now() - linkStartedAt < 400 || Date.now() - lastMtAt < 150) await new Promise((r) => setTimeout(r, 25));
      await stopProcess(fakesmsc, 'SIGINT', 1000);
      const sent = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 3000);
        sentOne = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      startFakesmsc(line);
      await sent;
      sentOne = null;
    }
    writing = false;
  };
  const write = (line: string) => {
    queue.push(line.replace(/\n$/, ''));
    void drain();
  };
  const out = fs.openSync(path.join(dir, 'boxes.out'), 'a');

  const startBearerbox = async () => {
    bearerbox = spawn('bearerbox', [confPath], { stdio: ['ignore', out, out] });
    await waitForPort(ports.smsbox);
    await waitForPort(ports.fakesmsc);
  };
  const status = async () => {
    const res = await fetch(`http://127.0.0.1:${ports.admin}/status.txt?password=${secrets.admin}`).catch(() => null);
    return res ? res.text() : '';
  };
  const waitFor = async (what: string, test: (s: string) => boolean, timeoutMs = 10_000) => {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (test(await status())) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`Kannel: ${what} not within ${timeoutMs} ms; status:\n${await status()}`);
  };
  const startFakesmsc = (line?: string, burst?: BurstOptions) => {
    // -v 0 prints every MT, and "sent message N" as each MO goes out.
    const args = ['-H', '127.0.0.1', '-r', String(ports.fakesmsc), '-v', '0'];
    if (burst) {
      // -z 5: a random number after the sender's prefix and after the text's last word
      args.push('-i', String(burst.intervalSeconds), '-m', String(burst.count), '-z', '5', `${burst.senderPrefix} 1708 text ${burst.text}`);
    } else {
      args.push('-i', '0', '-m', line ? '1' : '0', line ?? '1 2 text none');
    }
    fakesmsc = spawn(FAKESMSC, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    linkStartedAt = Date.now();
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (process.env.DEBUG_FAKESMSC) console.log(line);
        if (/fakesmsc: sent message \d+/.test(line)) {
          moSent += 1;
          sentOne?.();
        }
        // "Got message 3: <1708 +6281234 text Laporan diterima …>"; a part of a long one carries its
        // UDH first: "<1708 +62… udh %05%00%03%00%02%01 data AAA…>"; UCS-2 as url-encoded UTF-16BE.
        if (line.includes('Got message')) lastMtAt = Date.now();
        const m = /Got message \d+: <(\S+) (\S+) (?:udh (\S+) )?(text|ucs-2|data) ?(.*)>\s*$/.exec(line);
        if (m) {
          const [, from, to, udh, type, body] = m;
          const bytes = urlBytes(body!);
          // fakesmsc prints a part of a long message as "data" whatever its coding: UCS-2 text
          // (Latin letters in UTF-16BE) shows as every other byte zero.
          const ucs2 = type === 'ucs-2' || (type === 'data' && bytes.length % 2 === 0 && looksUtf16be(bytes));
          const text = ucs2 ? Buffer.from(bytes).swap16().toString('utf16le') : type === 'data' ? bytes.toString('utf8') : body!;
          const concat = udh ? urlBytes(udh) : null;
          if (concat && concat.length >= 6 && concat[1] === 0x00) {
            const [ref, total, seq] = [concat[3]!, concat[4]!, concat[5]!];
            const key = `${from} ${to} ${ref}`;
            const held = partsOf.get(key) ?? new Map<number, string>();
            held.set(seq, text);
            partsOf.set(key, held);
            if (held.size === total) {
              partsOf.delete(key);
              const whole = [...held.entries()]
                .sort(([a], [b]) => a - b)
                .map(([, t]) => t)
                .join('');
              mts.push({ from: from!, to: to!, text: whole, parts: total, at: Date.now() });
            }
          } else {
            mts.push({ from: from!, to: to!, text, parts: 1, at: Date.now() });
          }
        }
        nl = buffer.indexOf('\n');
      }
    };
    fakesmsc.stdout!.on('data', onData);
    fakesmsc.stderr!.on('data', onData);
  };

  await startBearerbox();
  smsbox = spawn('smsbox', [confPath], { stdio: ['ignore', out, out] });
  await waitForPort(ports.sendsms);
  startFakesmsc();
  // MOs sent before the smsbox is on-line are lost ("smsbox_list empty!"): wait for both.
  await waitFor('smsbox and fake SMSC on-line', (s) => /smsbox:\(none\)|smsbox:/.test(s) && /fake\[fake\].*online/i.test(s));

  const kannel: Kannel = {
    sendsmsUrl: `http://127.0.0.1:${ports.sendsms}/cgi-bin/sendsms`,
    username: secrets.user,
    password: secrets.password,
    incomingKey: secrets.key,
    mts,
    sendMo(from, text, to = '1708') {
      write(moLine(from, to, text));
    },
    sendMoParts(from, parts, reference, to = '1708') {
      const hex = (n: number) => `%${n.toString(16).padStart(2, '0')}`;
      parts.forEach((part, i) => {
        const udh = [5, 0, 3, reference, parts.length, i + 1].map(hex).join('');
        const data = [...Buffer.from(part, 'utf8')].map(hex).join('');
        write(`${from} ${to} udh ${udh} ${data}\n`);
      });
    },
    async waitForMts(predicate, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        if (predicate(mts)) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`waited ${timeoutMs} ms; ${mts.length} MTs: ${JSON.stringify(mts.slice(-5))}`);
    },
    async restart() {
      // The whole gateway goes down, core first: bearerbox keeps in its spool what it took from
      // the SMSC and had not handed on; then smsbox (which loses its link to it).
      await stopProcess(bearerbox);
      await stopProcess(smsbox);
      await waitForPortClosed(ports.smsbox);
      await waitForPortClosed(ports.sendsms);
      await startBearerbox();
      smsbox = spawn('smsbox', [confPath], { stdio: ['ignore', out, out] });
      await waitForPort(ports.sendsms);
      if (!writing) {
        await stopProcess(fakesmsc, 'SIGINT', 1000);
        startFakesmsc();
      }
      await waitFor('boxes on-line again', (s) => /fake\[fake\].*online/i.test(s) && /smsbox:/.test(s), 20_000);
    },
    async burst(options) {
      await kannel.moQueueEmpty();
      await stopProcess(fakesmsc, 'SIGINT', 1000);
      const before = moSent;
      startFakesmsc(undefined, options);
      const until = Date.now() + options.count * options.intervalSeconds * 1000 * 3 + 30_000;
      while (moSent - before < options.count && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      return { sent: moSent - before };
    },
    async moQueueEmpty() {
      while (writing || queue.length > 0) await new Promise((r) => setTimeout(r, 50));
    },
    mosAccepted() {
      const log = fs.existsSync(path.join(dir, 'access.log')) ? fs.readFileSync(path.join(dir, 'access.log'), 'utf8') : '';
      return [...log.matchAll(/Receive SMS \[SMSC:[^\]]*\].*?\[from:([^\]]*)\]/g)].map((m) => m[1]!);
    },
    async stop() {
      await stopProcess(fakesmsc, 'SIGINT', 1000);
      await stopProcess(smsbox);
      await stopProcess(bearerbox);
      fs.closeSync(out);
      if (!process.env.KEEP_KANNEL_LOGS) fs.rmSync(dir, { recursive: true, force: true });
      else console.log(`Kannel logs kept in ${dir}`);
    },
  };
  return kannel;
}

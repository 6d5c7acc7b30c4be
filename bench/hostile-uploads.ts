/**
 * Hostile uploads benchmark (npm run bench:hostile): does /healthz stay fast while the server
 * opens decompression bombs and large documents? Target: p99 under 100 ms.
 *
 *  1. Starts the real server (`node src/main.ts`: API and worker in one process) on 127.0.0.1, on
 *     a free port, with the embedded database in a temporary DATA_DIR, and registers reporters.
 *  2. Builds the hostile files: a DOCX zip bomb (20 parts of 60 MB at ~1000:1, a few MB), a DOCX
 *     within the ratio whose parts add up past the total cap (3 × 60 MB at ~150:1), a PDF whose
 *     object stream inflates to 200 MB, a PNG of 20,000 × 20,000 pixels whose IDAT is deflated
 *     zeros (a bomb for whoever decodes it), and a real 2,000-page PDF (a few MB of honest work).
 *  3. Sends BENCH_UPLOADS of them (default 24, the kinds in turn), BENCH_PARALLEL at a time
 *     (default 6), while one client polls /healthz every 10 ms; all on loopback.
 *  4. Prints /healthz latency while the uploads ran (p50, p95, p99, max), and every upload's
 *     outcome by kind (refused 413, busy 503, accepted 201…).
 *
 * Bounded: at most BENCH_UPLOADS uploads and BENCH_TIMEOUT_SECONDS (default 120) in all.
 * Always exits 0 once it has run (it is a benchmark, not a test); 1 when it could not run.
 *
 * Environment (all optional):
 *   BENCH_UPLOADS, BENCH_PARALLEL, BENCH_TIMEOUT_SECONDS   see above
 *   BENCH_SERVER_DIR     checkout whose src/main.ts is started, default this one (for A/B runs)
 *   BENCH_QUIET_WAIT     seconds to wait for other work on the machine to settle first, default 30
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync, deflateSync } from 'node:zlib';
import { PDFDocument } from '@cantoo/pdf-lib';
import { unzipSync } from 'fflate';
import { pdfObjectStreamBomb, zip } from '../test/support/hostile-files.ts';
import { freePort, keepLastLines, machinePercent, machineTicks, readTicks, stopChild, waitForQuiet, waitUntilHealthy } from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SERVER_DIR = path.resolve(process.env.BENCH_SERVER_DIR ?? ROOT);
const UPLOADS = positiveInt(process.env.BENCH_UPLOADS, 24);
const PARALLEL = positiveInt(process.env.BENCH_PARALLEL, 6);
const TIMEOUT_MS = positiveInt(process.env.BENCH_TIMEOUT_SECONDS, 120) * 1000;
const QUIET_WAIT = Number(process.env.BENCH_QUIET_WAIT ?? 30);
const MB = 1024 * 1024;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function positiveInt(raw: string | undefined, fallback: number): number {
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got "${raw}"`);
  return n;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// The hostile files

const PARAGRAPH = '<w:p><w:r><w:t>Jalan rusak di depan pasar</w:t></w:r></w:p>';

/** `size` bytes of XML: a 1 MB block repeated; every `every`th paragraph is random (sets the ratio). */
function xmlPart(size: number, every: number): Buffer {
  const chunks: string[] = [];
  let length = 0;
  for (let i = 0; length < MB; i++) {
    const piece = i % every === 0 ? `<w:p><w:r><w:t>${randomBytes(6).toString('hex')}</w:t></w:r></w:p>` : PARAGRAPH;
    chunks.push(piece);
    length += piece.length;
  }
  const out = Buffer.alloc(size);
  out.fill(Buffer.from(chunks.join('').slice(0, MB)));
  return out;
}

function docxWith(name: (i: number) => string, count: number, part: Buffer): Buffer {
  const base = Object.entries(unzipSync(fs.readFileSync(path.join(ROOT, 'test/fixtures/attachments/letter.docx')))).map(([n, data]) => ({
    name: n,
    deflated: deflateRawSync(data),
    size: data.length,
    crc: crc32(data),
  }));
  const deflated = deflateRawSync(part);
  const crc = crc32(part);
  return Buffer.from(zip([...base, ...Array.from({ length: count }, (_, i) => ({ name: name(i), deflated, size: part.length, crc }))]));
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** 20,000 × 20,000 greyscale: 400 MB of pixels in under 1 MB of IDAT. */
function pngBomb(): Buffer {
  const side = 20_000;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const idat = deflateSync(Buffer.alloc((side + 1) * side), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('tEXt', Buffer.from('Author\0Budi Santoso', 'latin1')),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

async function bigPdf(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setAuthor('Budi Santoso');
  for (let i = 0; i < pages; i++) doc.addPage().drawText(`Halaman ${i} `.repeat(40));
  return Buffer.from(await doc.save());
}

interface Kind {
  label: string;
  fileName: string;
  type: string;
  bytes: Buffer;
}

async function hostileKinds(): Promise<Kind[]> {
  return [
    {
      label: 'DOCX zip bomb, 20 × 60 MB at ~1000:1',
      fileName: 'surat.docx',
      type: DOCX,
      bytes: docxWith((i) => `word/header${i + 1}.xml`, 20, xmlPart(60 * MB, 1e9)),
    },
    {
      label: 'DOCX within the ratio, 3 × 60 MB at ~150:1',
      fileName: 'lampiran.docx',
      type: DOCX,
      bytes: docxWith((i) => `word/footer${i + 1}.xml`, 3, xmlPart(60 * MB, 60)),
    },
    {
      label: 'PDF, object stream of 200 MB',
      fileName: 'surat.pdf',
      type: 'application/pdf',
      bytes: Buffer.from(pdfObjectStreamBomb(200 * MB)),
    },
    { label: 'PNG 20,000 × 20,000, IDAT of zeros', fileName: 'foto.png', type: 'image/png', bytes: pngBomb() },
    { label: 'PDF, 2,000 pages of text (honest)', fileName: 'laporan.pdf', type: 'application/pdf', bytes: await bigPdf(2000) },
  ];
}

// ---------------------------------------------------------------------------------------------
// The server

let server: ChildProcess | undefined;
const serverLog: string[] = [];

async function startServer(port: number, dataDir: string): Promise<string> {
  server = spawn(process.execPath, [path.join(SERVER_DIR, 'src/main.ts')], {
    cwd: SERVER_DIR,
    env: {
      ...process.env,
      DATABASE_URL: '',
      DEMO: 'false',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ATTACHMENTS_DIR: path.join(dataDir, 'attachments'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  keepLastLines(server, serverLog);
  // The first start loads every region.
  return waitUntilHealthy(server, `http://127.0.0.1:${port}`, serverLog, 180_000);
}

async function register(base: string, i: number): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Pelapor Bench ${i}`, email: `pelapor${i}@bench.lapor.test`, password: 'kata-sandi-bench-123' }),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`register: ${res.status} ${text}`);
  return (JSON.parse(text) as { token: string }).token;
}

// ---------------------------------------------------------------------------------------------
// The run

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const cpu = os.cpus();
  console.log(`bench:hostile ${new Date().toISOString()}`);
  console.log(
    `machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`,
  );
  console.log(
    `server: ${path.relative(process.cwd(), path.join(SERVER_DIR, 'src/main.ts')) || 'src/main.ts'} (API and worker), embedded database`,
  );

  const building = performance.now();
  const kinds = await hostileKinds();
  console.log(`hostile files built in ${((performance.now() - building) / 1000).toFixed(1)} s:`);
  for (const k of kinds) console.log(`  ${k.label.padEnd(44)} ${(k.bytes.length / MB).toFixed(2).padStart(6)} MB`);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-bench-hostile-'));
  try {
    const base = await startServer(await freePort(), dataDir);
    const tokens = [await register(base, 1), await register(base, 2)];
    for (let i = 0; i < 20; i++) await (await fetch(`${base}/healthz`)).arrayBuffer(); // warm
    const busy = await waitForQuiet(QUIET_WAIT, 30);
    console.log(`machine busy before the run: ${busy.toFixed(0)}% of one core`);

    const deadline = performance.now() + TIMEOUT_MS;
    let uploadsDone = false;
    const latencies: number[] = [];
    let healthFailures = 0;
    const poller = (async () => {
      while (!uploadsDone && performance.now() < deadline) {
        const started = performance.now();
        try {
          const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5000) });
          await res.arrayBuffer();
          if (!res.ok) healthFailures++;
        } catch {
          healthFailures++;
        }
        if (!uploadsDone) latencies.push(performance.now() - started);
        await sleep(10);
      }
    })();

    const outcomes = new Map<string, Map<string, number>>();
    const uploadTimes: number[] = [];
    let next = 0;
    const serverPid = server!.pid!;
    const ticks0 = readTicks(serverPid);
    const machine0 = machineTicks();
    const started = performance.now();
    const client = async (n: number) => {
      while (next < UPLOADS && performance.now() < deadline) {
        const kind = kinds[next++ % kinds.length]!;
        const form = new FormData();
        form.set('classification', 'pengaduan');
        form.set('title', 'Jalan rusak di depan pasar');
        form.set('body', 'Jalan berlubang besar di depan pasar sudah dua bulan dan membahayakan pengendara.');
        form.set('incidentDate', '2026-11-20');
        form.append('attachments', new File([kind.bytes], kind.fileName, { type: kind.type }));
        const t0 = performance.now();
        let outcome: string;
        try {
          const res = await fetch(`${base}/api/v1/reports`, {
            method: 'POST',
            headers: { authorization: `Bearer ${tokens[n % tokens.length]}` },
            body: form,
            signal: AbortSignal.timeout(Math.round(Math.max(1000, deadline - performance.now()))),
          });
          const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
          outcome = `${res.status}${body.error?.code ? ` ${body.error.code}` : ''}`;
        } catch (error) {
          outcome = `failed (${(error as Error).name})`;
        }
        uploadTimes.push(performance.now() - t0);
        const byKind = outcomes.get(kind.label) ?? new Map<string, number>();
        byKind.set(outcome, (byKind.get(outcome) ?? 0) + 1);
        outcomes.set(kind.label, byKind);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, (_, n) => client(n)));
    const elapsed = performance.now() - started;
    uploadsDone = true;
    await poller;
    const serverCpu = (readTicks(serverPid) - ticks0) / 100;
    const machineBusy = machinePercent(machine0, machineTicks());

    const sorted = [...latencies].sort((a, b) => a - b);
    const f = (n: number) => n.toFixed(1);
    console.log(
      `\n${uploadTimes.length} uploads, ${PARALLEL} at a time, in ${(elapsed / 1000).toFixed(1)} s; server CPU ${serverCpu.toFixed(1)} s, machine ${machineBusy.toFixed(0)}% of one core`,
    );
    console.log(`/healthz during the uploads: ${sorted.length} requests, ${healthFailures} failed`);
    console.log(
      `  p50 ${f(percentile(sorted, 50))} ms   p95 ${f(percentile(sorted, 95))} ms   p99 ${f(percentile(sorted, 99))} ms   max ${f(sorted.at(-1) ?? Number.NaN)} ms`,
    );
    console.log(`  target p99 < 100 ms: ${percentile(sorted, 99) < 100 ? 'met' : 'NOT met'}`);
    const uploadSorted = [...uploadTimes].sort((a, b) => a - b);
    console.log(`upload response time: p50 ${f(percentile(uploadSorted, 50))} ms, max ${f(uploadSorted.at(-1) ?? Number.NaN)} ms`);
    console.log('outcomes by kind:');
    let refused = 0;
    for (const kind of kinds) {
      const byKind = outcomes.get(kind.label) ?? new Map();
      const text = [...byKind].map(([o, n]) => `${n} × ${o}`).join(', ') || '–';
      for (const [o, n] of byKind) if (/^4\d\d/.test(o)) refused += n;
      console.log(`  ${kind.label.padEnd(44)} ${text}`);
    }
    console.log(`refused: ${refused} of ${uploadTimes.length}`);
  } finally {
    await stopChild(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  async (error) => {
    console.error(error);
    await stopChild(server);
    process.exit(1);
  },
);

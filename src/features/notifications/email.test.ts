import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { SMTPServer, type SMTPServerError } from 'smtp-server';
import { type TestApp, type TestUser, startTestApp } from '../../../test/support/app.ts';
import { dispatchOutbox, retryDelayMs } from './dispatcher.ts';
import { checkEmailConfig } from '../../config.ts';
import { createEmailTransport, messageIdFor, SmtpTransport } from './email.ts';
import { notifyUsers } from './outbox.ts';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on 127.0.0.1, on a port the system picks. Plain text: only ever local. */
async function startSmtpServer() {
  const received: Received[] = [];
  const state = { rejectRecipients: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onRcptTo(address, _session, callback) {
      if (!state.rejectRecipients) return callback();
      const err: SMTPServerError = new Error(`Mailbox ${address.address} unavailable`);
      err.responseCode = 550;
      callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    received,
    state,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The headers of a raw message, unfolded, by lower-case name. */
function headersOf(raw: string): Record<string, string> {
  const head = raw.split('\r\n\r\n')[0]!.replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

/** The text body, quoted-printable decoded (nodemailer uses it for text that is not all ASCII). */
function textOf(raw: string): string {
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  const bytes: number[] = [];
  const joined = body.replace(/=\r\n/g, '');
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === '=' && /^[0-9A-F]{2}$/.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8').replace(/\r\n/g, '\n');
}

let t: TestApp;
let warga: TestUser;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let transport: SmtpTransport;
let clock = new Date('2026-11-24T03:00:00Z');
const dispatch = (email = transport) => dispatchOutbox({ db: t.deps.db, now: () => clock, email });

before(async () => {
  t = await startTestApp();
  warga = await t.user('reporter');
  smtp = await startSmtpServer();
  transport = new SmtpTransport({ url: smtp.url, from: 'LAPOR! <noreply@lapor.go.id>' });
});
after(async () => {
  transport.close();
  await smtp.close();
  await t.close();
});

async function notify(key: string) {
  await t.deps.db.transaction((tx) =>
    notifyUsers(tx, [warga.principal.userId], {
      template: 'deadline.reminder',
      payload: {
        trackingId: '7KMX3PRA',
        title: 'Jalan berlubang di Jalan Gajah Mada',
        clock: 'first_follow_up',
        dueAt: '2026-11-27T23:59:00+07:00',
        timeZone: 'Asia/Pontianak',
      },
      key,
      at: clock,
    }),
  );
}

async function emailRow(key: string) {
  const rows = await t.deps.db.query<{
    status: string;
    attempts: number;
    available_at: Date;
    last_error: string | null;
    external_id: string | null;
  }>(`SELECT status, attempts, available_at, last_error, external_id FROM outbox WHERE idempotency_key = $1`, [
    `${key}:email:${warga.principal.userId}`,
  ]);
  return rows[0]!;
}

test('an email outbox row is delivered over SMTP with its subject, Indonesian text and stable Message-ID', async () => {
  await notify('deadline:1:first_follow_up:1:reminder');
  assert.deepEqual(await dispatch(), { delivered: 2, failed: 0, retried: 0 });

  assert.equal(smtp.received.length, 1);
  const [mail] = smtp.received;
  assert.deepEqual(mail!.to, [warga.email]);
  assert.equal(mail!.from, 'noreply@lapor.go.id');
  const headers = headersOf(mail!.raw);
  assert.equal(
    headers.subject,
    'Pengingat batas waktu: tindak lanjut pertama laporan 7KMX3PRA jatuh tempo 27 Nov 2026 23:59 WIB / ' +
      'Deadline reminder: first follow-up of report 7KMX3PRA due 27 Nov 2026 23:59 WIB',
  );
  const expectedId = messageIdFor(`deadline:1:first_follow_up:1:reminder:email:${warga.principal.userId}`, 'lapor.go.id');
  assert.equal(headers['message-id'], expectedId);
  assert.equal(headers['auto-submitted'], 'auto-generated');
  const text = textOf(mail!.raw);
  assert.match(
    text,
    /^Batas waktu tindak lanjut pertama laporan 7KMX3PRA “Jalan berlubang di Jalan Gajah Mada” jatuh tempo 27 Nov 2026 23:59 WIB\./,
  );
  assert.match(text, /The first follow-up deadline of report 7KMX3PRA/);
  assert.match(text, /mohon tidak membalas/);

  const row = await emailRow('deadline:1:first_follow_up:1:reminder');
  assert.equal(row.status, 'sent');
  assert.equal(row.external_id, expectedId);
  assert.deepEqual(await dispatch(), { delivered: 0, failed: 0, retried: 0 });
  assert.equal(smtp.received.length, 1, 'sent once');
});

test('a recipient the server refuses is retried later, not lost', async () => {
  smtp.state.rejectRecipients = true;
  await notify('deadline:2:resolution:1:missed');
  assert.deepEqual(await dispatch(), { delivered: 1, failed: 0, retried: 1 }, 'in-app delivered, email retried');
  const refused = await emailRow('deadline:2:resolution:1:missed');
  assert.equal(refused.status, 'pending');
  assert.equal(refused.attempts, 1);
  assert.equal(refused.available_at.getTime(), clock.getTime() + retryDelayMs(1));
  assert.match(refused.last_error!, /550/);
  assert.equal(smtp.received.length, 1, 'nothing new arrived');

  smtp.state.rejectRecipients = false;
  clock = new Date(clock.getTime() + retryDelayMs(1));
  assert.deepEqual(await dispatch(), { delivered: 1, failed: 0, retried: 0 });
  const delivered = await emailRow('deadline:2:resolution:1:missed');
  assert.deepEqual([delivered.status, delivered.attempts, delivered.last_error], ['sent', 2, null]);
  assert.equal(smtp.received.length, 2);
  assert.equal(
    headersOf(smtp.received[1]!.raw)['message-id'],
    messageIdFor(`deadline:2:resolution:1:missed:email:${warga.principal.userId}`, 'lapor.go.id'),
  );
});

test('an SMTP server that is down means a retry, not a lost message', async () => {
  const closed = await startSmtpServer();
  await closed.close();
  const unreachable = new SmtpTransport({ url: closed.url, from: 'LAPOR! <noreply@lapor.go.id>' });
  try {
    await notify('deadline:3:verification:1:reminder');
    assert.deepEqual(await dispatch(unreachable), { delivered: 1, failed: 0, retried: 1 });
    const row = await emailRow('deadline:3:verification:1:reminder');
    assert.equal(row.status, 'pending');
    assert.match(row.last_error!, /ECONNREFUSED|ECONNECTION/);
  } finally {
    unreachable.close();
  }
  clock = new Date(clock.getTime() + retryDelayMs(1));
  assert.deepEqual(await dispatch(), { delivered: 1, failed: 0, retried: 0 });
});

test('Message-IDs are stable per outbox row and valid', () => {
  const a = messageIdFor('deadline:12:verification:1:reminder:email:7', 'lapor.go.id');
  assert.equal(a, messageIdFor('deadline:12:verification:1:reminder:email:7', 'lapor.go.id'));
  assert.notEqual(a, messageIdFor('deadline:12:verification:1:reminder:email:8', 'lapor.go.id'));
  assert.match(a, /^<lapor\.deadline\.12\.verification\.1\.reminder\.email\.7\.[0-9a-f]{16}@lapor\.go\.id>$/);
  // Keys differing only in characters a Message-ID cannot hold still get different ids.
  assert.notEqual(messageIdFor('a:b', 'x.id'), messageIdFor('a b', 'x.id'));
  assert.match(messageIdFor('<>"@ \r\n', 'x.id'), /^<lapor\.[0-9a-f]{16}@x\.id>$/);
});

test('SMTP settings: off without SMTP_URL, checked when set', () => {
  assert.equal(createEmailTransport({ smtpUrl: null, smtpFrom: null }), null);
  assert.deepEqual(checkEmailConfig({ smtpUrl: null, smtpFrom: null }), []);
  assert.deepEqual(checkEmailConfig({ smtpUrl: 'smtp://127.0.0.1:2525', smtpFrom: 'LAPOR! <noreply@lapor.go.id>' }), []);
  assert.equal(checkEmailConfig({ smtpUrl: 'http://127.0.0.1:2525', smtpFrom: 'noreply@lapor.go.id' }).length, 1);
  assert.match(checkEmailConfig({ smtpUrl: 'smtp://127.0.0.1:2525', smtpFrom: null })[0]!, /SMTP_FROM is required/);
  assert.throws(() => createEmailTransport({ smtpUrl: 'smtp://127.0.0.1:2525', smtpFrom: null }), /SMTP_FROM/);
});

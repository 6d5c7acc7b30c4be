import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, startTestApp } from '../../../test/support/app.ts';
import { dispatchOutbox, LEASE_MS, MAX_ATTEMPTS, retryDelayMs, SMTP_NOT_CONFIGURED } from './dispatcher.ts';
import type { EmailMessage, EmailTransport } from './email.ts';
import { registerNotificationRoutes } from './notifications.routes.ts';
import { enqueue, notifyUsers } from './outbox.ts';
import { formatDue, renderMessage } from './templates.ts';
import { CLOCK_KINDS } from '../../domain/sla.ts';

let t: TestApp;
let alice: TestUser;
let bob: TestUser;
let clock = new Date('2026-11-24T03:00:00Z');

/** A transport that keeps what it was asked to send; `fail` makes it throw instead. */
function capturingTransport(options: { fail?: Error; delayMs?: number } = {}): EmailTransport & { sent: EmailMessage[] } {
  const sent: EmailMessage[] = [];
  return {
    sent,
    messageIdDomain: 'lapor.test',
    async send(msg) {
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      if (options.fail) throw options.fail;
      sent.push(msg);
      return { id: `ext-${sent.length}` };
    },
  };
}

const dispatch = (email: EmailTransport | null, batchSize?: number) =>
  dispatchOutbox({ db: t.deps.db, now: () => clock, email }, { batchSize });

function advance(ms: number): void {
  clock = new Date(clock.getTime() + ms);
  t.setNow(clock);
}

const reminderPayload = {
  trackingId: '7KMX3PRA',
  title: 'Jalan rusak di depan pasar',
  clock: 'verification',
  dueAt: '2026-11-27T23:59:00+07:00',
  timeZone: 'Asia/Jakarta',
};

async function notify(users: TestUser[], key: string, template = 'deadline.reminder', payload: Record<string, unknown> = reminderPayload) {
  await t.deps.db.transaction((tx) =>
    notifyUsers(
      tx,
      users.map((u) => u.principal.userId),
      { template, payload, key, at: clock },
    ),
  );
}

async function outboxRows(keyPrefix: string) {
  return t.deps.db.query<{
    id: number;
    channel: string;
    status: string;
    attempts: number;
    available_at: Date;
    locked_until: Date | null;
    last_error: string | null;
    external_id: string | null;
    sent_at: Date | null;
  }>(
    `SELECT id, channel, status, attempts, available_at, locked_until, last_error, external_id, sent_at
     FROM outbox WHERE idempotency_key LIKE $1 ORDER BY id`,
    [`${keyPrefix}%`],
  );
}

async function enqueueEmail(key: string, address = 'warga@example.test') {
  await enqueue(t.deps.db, {
    channel: 'email',
    recipientAddress: address,
    template: 'deadline.missed',
    payload: reminderPayload,
    idempotencyKey: key,
    availableAt: clock,
  });
  return (await outboxRows(key))[0]!;
}

before(async () => {
  t = await startTestApp();
  t.setNow(clock);
  // Until app.ts registers the routes itself.
  if (!t.app.routes.some((r) => r.path === '/api/v1/notifications')) registerNotificationRoutes(t.app, t.deps);
  alice = await t.user('reporter');
  bob = await t.user('reporter');
});
after(() => t.close());

describe('templates', () => {
  test('a deadline reminder reads in Bahasa Indonesia first, then English, in the clock’s zone', () => {
    const { title, body } = renderMessage('deadline.reminder', reminderPayload);
    assert.equal(
      title,
      'Pengingat batas waktu: verifikasi laporan 7KMX3PRA jatuh tempo 27 Nov 2026 23:59 WIB / ' +
        'Deadline reminder: verification of report 7KMX3PRA due 27 Nov 2026 23:59 WIB',
    );
    const [indonesian, english] = body.split('\n\n');
    assert.match(indonesian!, /^Batas waktu verifikasi laporan 7KMX3PRA “Jalan rusak di depan pasar” jatuh tempo 27 Nov 2026 23:59 WIB\./);
    assert.match(english!, /^The verification deadline of report 7KMX3PRA/);
  });

  test('every clock kind has its Indonesian name, and the zone its Indonesian abbreviation', () => {
    const names: Record<string, string> = {
      verification: 'verifikasi',
      first_follow_up: 'tindak lanjut pertama',
      resolution: 'penyelesaian',
      reply_window: 'tanggapan pelapor',
      completion: 'kelengkapan laporan',
      ombudsman: 'Ombudsman',
    };
    assert.deepEqual(Object.keys(names).sort(), [...CLOCK_KINDS].sort(), 'every clock kind is named here');
    for (const [kind, name] of Object.entries(names)) {
      const { title } = renderMessage('deadline.missed', { ...reminderPayload, clock: kind });
      assert.ok(title.startsWith(`Batas waktu terlewati: ${name} laporan 7KMX3PRA`), title);
    }
    // A kind from a newer version, or a name that is also an Object property, reads as plain words.
    for (const [kind, words] of [
      ['site_visit', 'site visit'],
      ['constructor', 'constructor'],
      ['__proto__', 'proto'],
    ]) {
      const { title } = renderMessage('deadline.missed', { ...reminderPayload, clock: kind });
      assert.ok(title.startsWith(`Batas waktu terlewati: ${words} laporan 7KMX3PRA`), title);
    }
    // The same instant, where each clock runs; the month names differ between the languages.
    assert.deepEqual(formatDue('2026-05-01T16:59:00Z', 'Asia/Makassar'), { id: '2 Mei 2026 00:59 WITA', en: '2 May 2026 00:59 WITA' });
    assert.deepEqual(formatDue('2026-08-17T00:00:00+09:00', 'Asia/Jayapura'), { id: '17 Agu 2026 00:00 WIT', en: '17 Aug 2026 00:00 WIT' });
    assert.equal(formatDue('2026-03-27T23:59:00+07:00', 'Not/AZone').id, '27 Mar 2026 23:59 WIB', 'falls back to the ISO offset');
    assert.equal(formatDue('2026-03-27T16:59:00Z', 'Europe/Amsterdam').en, '27 Mar 2026 17:59 UTC+1');
  });

  test('escalation, auto-close and archiving name the report and, for escalation, the office', () => {
    const escalated = renderMessage('report.escalated', {
      trackingId: '7KMX3PRA',
      title: 'Jalan rusak',
      ombudsmanOffice: 'Ombudsman RI Perwakilan Kalimantan Barat',
    });
    assert.match(escalated.title, /^Laporan 7KMX3PRA dieskalasi ke Ombudsman RI Perwakilan Kalimantan Barat \/ Report 7KMX3PRA escalated/);
    assert.match(renderMessage('report.escalated', { trackingId: 'X', ombudsmanOffice: { name: 'Kantor A' } }).title, /Kantor A/);
    assert.match(renderMessage('report.auto_closed', { trackingId: '7KMX3PRA' }).title, /^Laporan 7KMX3PRA ditutup otomatis \//);
    assert.match(renderMessage('report.archived_incomplete', { trackingId: '7KMX3PRA' }).title, /^Laporan 7KMX3PRA diarsipkan/);
    const office = { trackingId: '7KMX3PRA', office: 'Ombudsman RI Perwakilan Kalimantan Barat' };
    assert.match(
      renderMessage('ombudsman.taken_over', office).body,
      /^Ombudsman RI Perwakilan Kalimantan Barat mulai menangani laporan 7KMX3PRA/,
    );
    assert.match(
      renderMessage('ombudsman.findings', office).title,
      /^Temuan Ombudsman atas laporan 7KMX3PRA \/ Ombudsman findings on report/,
    );
    assert.match(renderMessage('ombudsman.recommendation', office).title, /^Rekomendasi Ombudsman/);
    assert.match(renderMessage('ombudsman.closed', {}).body, /^Ombudsman Republik Indonesia telah menyelesaikan/);
  });

  test('an unknown template or a broken payload gives a readable message, never an error', () => {
    const unknown = renderMessage('report.something_new', { trackingId: 'ABCD2345' });
    assert.equal(unknown.title, 'Pembaruan laporan ABCD2345 / Update on report ABCD2345');
    const bare = renderMessage('x.y', {});
    assert.equal(bare.title, 'Pemberitahuan LAPOR! / LAPOR! notification');
    const broken = renderMessage('deadline.reminder', { trackingId: 42, clock: 'new_kind', dueAt: 'not a date', title: { no: 1 } });
    assert.match(broken.title, /new kind laporan 42 jatuh tempo not a date/);
    assert.doesNotThrow(() => renderMessage('deadline.reminder', null as never));
    const injected = renderMessage('report.auto_closed', { trackingId: 'A\r\nBcc: x@evil.test' });
    assert.ok(!/[\r\n]/.test(injected.title), 'the title is one line: it becomes an email subject');
  });
});

test('an event reaches the user in the app and by email; reading it updates the unread count', async () => {
  await notify([alice], 'test:reminder:1');
  const email = capturingTransport();
  const result = await dispatch(email);
  assert.deepEqual(result, { delivered: 2, failed: 0, retried: 0 });
  assert.equal(email.sent.length, 1);
  assert.equal(email.sent[0]!.to, alice.email);
  assert.match(email.sent[0]!.subject, /^Pengingat batas waktu: verifikasi laporan 7KMX3PRA jatuh tempo 27 Nov 2026 23:59 WIB \//);
  assert.match(email.sent[0]!.messageId, /^<lapor\.test\.reminder\.1\.email\.\d+\.[0-9a-f]{16}@lapor\.test>$/);

  const rows = await outboxRows('test:reminder:1');
  assert.deepEqual(
    rows.map((r) => [r.channel, r.status, r.attempts]),
    [
      ['in_app', 'sent', 1],
      ['email', 'sent', 1],
    ],
  );
  assert.equal(rows[1]!.external_id, 'ext-1');
  assert.ok(rows[0]!.external_id, 'the in-app row records its notification id');

  assert.equal((await t.request('GET', '/api/v1/notifications')).status, 401);
  const list = await t.request('GET', '/api/v1/notifications', { token: alice.token });
  assert.equal(list.status, 200, list.text);
  assert.equal(list.body.unreadCount, 1);
  assert.equal(list.body.total, 1);
  const [item] = list.body.items;
  assert.equal(item.template, 'deadline.reminder');
  assert.equal(item.trackingId, '7KMX3PRA');
  assert.match(item.title, /^Pengingat batas waktu/);
  assert.match(item.body, /Jalan rusak di depan pasar/);
  assert.equal(item.readAt, null);
  assert.equal(item.createdAt, clock.toISOString());

  const read = await t.request('POST', `/api/v1/notifications/${item.id}/read`, { token: alice.token });
  assert.equal(read.status, 200, read.text);
  assert.equal(read.body.readAt, clock.toISOString());
  advance(60_000);
  const again = await t.request('POST', `/api/v1/notifications/${item.id}/read`, { token: alice.token });
  assert.equal(again.body.readAt, read.body.readAt, 'the first reading time is kept');

  const unread = await t.request('GET', '/api/v1/notifications?unread=true', { token: alice.token });
  assert.deepEqual([unread.body.items.length, unread.body.total, unread.body.unreadCount], [0, 0, 0]);

  await notify([alice], 'test:reminder:2', 'deadline.missed');
  await notify([alice], 'test:reminder:3', 'report.auto_closed');
  await dispatch(capturingTransport());
  const three = await t.request('GET', '/api/v1/notifications?perPage=2', { token: alice.token });
  assert.deepEqual([three.body.items.length, three.body.total, three.body.unreadCount], [2, 3, 2]);
  assert.equal(three.body.items[0].template, 'report.auto_closed', 'newest first');
  const page2 = await t.request('GET', '/api/v1/notifications?perPage=2&page=2', { token: alice.token });
  assert.deepEqual(
    page2.body.items.map((i: { id: number }) => i.id),
    [item.id],
  );

  const all = await t.request('POST', '/api/v1/notifications/read-all', { token: alice.token });
  assert.equal(all.status, 200);
  assert.equal(all.body.marked, 2);
  assert.equal((await t.request('GET', '/api/v1/notifications', { token: alice.token })).body.unreadCount, 0);
  assert.equal((await t.request('POST', '/api/v1/notifications/read-all')).status, 401);
});

test('another user neither sees, reads nor marks my notifications', async () => {
  await notify([alice], 'test:private:1');
  await dispatch(capturingTransport());
  const mine = await t.request('GET', '/api/v1/notifications?unread=true', { token: alice.token });
  const id = mine.body.items[0].id;

  const theirs = await t.request('GET', '/api/v1/notifications', { token: bob.token });
  assert.equal(theirs.status, 200);
  assert.ok(!theirs.body.items.some((i: { id: number }) => i.id === id));
  const refused = await t.request('POST', `/api/v1/notifications/${id}/read`, { token: bob.token });
  assert.equal(refused.status, 404);
  assert.equal((await t.request('POST', '/api/v1/notifications/999999/read', { token: alice.token })).status, 404);
  assert.equal((await t.request('POST', `/api/v1/notifications/${id}/read`)).status, 401);
  await t.request('POST', '/api/v1/notifications/read-all', { token: bob.token });

  const still = await t.request('GET', '/api/v1/notifications?unread=true', { token: alice.token });
  assert.equal(still.body.items[0].id, id);
  assert.equal(still.body.items[0].readAt, null);
  assert.equal(still.body.unreadCount, 1);
  await t.request('POST', '/api/v1/notifications/read-all', { token: alice.token });
});

test('the outbox is transactional: a rolled-back change leaves no message', async () => {
  await assert.rejects(
    t.deps.db.transaction(async (tx) => {
      await notifyUsers(tx, [alice.principal.userId], {
        template: 'deadline.reminder',
        payload: reminderPayload,
        key: 'test:rollback',
        at: clock,
      });
      assert.equal((await tx.query(`SELECT 1 FROM outbox WHERE idempotency_key LIKE 'test:rollback%'`)).length, 2);
      throw new Error('the change failed');
    }),
    /the change failed/,
  );
  assert.equal((await outboxRows('test:rollback')).length, 0);
  assert.deepEqual(await dispatch(capturingTransport()), { delivered: 0, failed: 0, retried: 0 });
});

test('the same event twice, or the dispatcher run twice, delivers once', async () => {
  await notify([alice, bob], 'test:once');
  await notify([alice, bob], 'test:once'); // the same key: nothing new
  assert.equal((await outboxRows('test:once')).length, 4);

  // Several dispatchers at once, with sends slow enough to overlap.
  const email = capturingTransport({ delayMs: 20 });
  const results = await Promise.all([dispatch(email, 1), dispatch(email, 1), dispatch(email, 2), dispatch(email)]);
  const total = results.reduce((sum, r) => sum + r.delivered, 0);
  const rest = await dispatch(email);
  assert.equal(total + rest.delivered, 4);
  assert.deepEqual(await dispatch(email), { delivered: 0, failed: 0, retried: 0 });

  assert.deepEqual(email.sent.map((m) => m.to).sort(), [alice.email, bob.email].sort());
  const rows = await outboxRows('test:once');
  assert.ok(
    rows.every((r) => r.status === 'sent' && r.attempts === 1),
    JSON.stringify(rows),
  );
  const notifications = await t.deps.db.query<{ user_id: number }>(
    `SELECT n.user_id FROM notifications n JOIN outbox o ON o.id = n.outbox_id WHERE o.idempotency_key LIKE 'test:once%'`,
  );
  assert.equal(notifications.length, 2);
  await t.request('POST', '/api/v1/notifications/read-all', { token: alice.token });
});

test('without an SMTP server, email is switched off: in-app still arrives, email rows fail at once', async () => {
  await notify([bob], 'test:nosmtp');
  assert.deepEqual(await dispatch(null), { delivered: 1, failed: 1, retried: 0 });
  const rows = await outboxRows('test:nosmtp');
  assert.deepEqual(
    rows.map((r) => [r.channel, r.status, r.last_error]),
    [
      ['in_app', 'sent', null],
      ['email', 'failed', SMTP_NOT_CONFIGURED],
    ],
  );
});

test('a failing send is retried later with growing waits, and given up after the last attempt', async () => {
  await enqueueEmail('test:retry');
  const broken = capturingTransport({ fail: Object.assign(new Error('Connection refused'), { code: 'ECONNECTION' }) });
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const result = await dispatch(broken);
    const [now] = await outboxRows('test:retry');
    assert.equal(now!.attempts, attempt);
    if (attempt < MAX_ATTEMPTS) {
      assert.deepEqual(result, { delivered: 0, failed: 0, retried: 1 });
      assert.equal(now!.status, 'pending');
      assert.equal(now!.available_at.getTime(), clock.getTime() + retryDelayMs(attempt));
      assert.match(now!.last_error!, new RegExp(`^attempt ${attempt}: ECONNECTION Connection refused`));
      // Not before its time.
      advance(retryDelayMs(attempt) - 1000);
      assert.deepEqual(await dispatch(broken), { delivered: 0, failed: 0, retried: 0 });
      advance(1000);
    } else {
      assert.deepEqual(result, { delivered: 0, failed: 1, retried: 0 });
      assert.equal(now!.status, 'failed');
      assert.match(now!.last_error!, /Connection refused/);
    }
  }
  assert.deepEqual(
    [retryDelayMs(1), retryDelayMs(2), retryDelayMs(3), retryDelayMs(7), retryDelayMs(8)],
    [60_000, 120_000, 240_000, 3_600_000, 3_600_000],
  );
  advance(24 * 3600_000);
  assert.deepEqual(await dispatch(capturingTransport()), { delivered: 0, failed: 0, retried: 0 }, 'a failed row stays failed');
});

test('a row left sending by a crashed sender is picked up again once its lease expires', async () => {
  const row = await enqueueEmail('test:lease');
  await t.deps.db.query(`UPDATE outbox SET status = 'sending', attempts = 1, locked_until = $2 WHERE id = $1`, [
    row.id,
    new Date(clock.getTime() + LEASE_MS),
  ]);
  const email = capturingTransport();
  assert.deepEqual(await dispatch(email), { delivered: 0, failed: 0, retried: 0 }, 'not while the lease holds');
  advance(LEASE_MS + 1000);
  assert.deepEqual(await dispatch(email), { delivered: 1, failed: 0, retried: 0 });
  const [after] = await outboxRows('test:lease');
  assert.deepEqual([after!.status, after!.attempts, after!.locked_until], ['sent', 2, null]);
  assert.equal(after!.sent_at!.getTime(), clock.getTime());

  // Crashed during the last attempt: nobody knows whether it went out, so it is not tried a ninth time.
  const last = await enqueueEmail('test:lease-last');
  await t.deps.db.query(`UPDATE outbox SET status = 'sending', attempts = $2, locked_until = $3 WHERE id = $1`, [
    last.id,
    MAX_ATTEMPTS,
    new Date(clock.getTime() - 1000),
  ]);
  assert.deepEqual(await dispatch(email), { delivered: 0, failed: 1, retried: 0 });
  assert.equal((await outboxRows('test:lease-last'))[0]!.status, 'failed');
});

test('a sender whose lease was taken over does not overwrite the new owner’s record', async () => {
  const row = await enqueueEmail('test:fence');
  // While the first sender is on the network, its lease runs out and another sender claims the row.
  const slow: EmailTransport = {
    async send() {
      await t.deps.db.query(`UPDATE outbox SET attempts = attempts + 1, locked_until = $2 WHERE id = $1`, [
        row.id,
        new Date(clock.getTime() + 10 * LEASE_MS),
      ]);
      return { id: 'late' };
    },
  };
  await dispatch(slow);
  const [now] = await outboxRows('test:fence');
  assert.deepEqual([now!.status, now!.attempts, now!.external_id], ['sending', 2, null]);
  await t.deps.db.query(`UPDATE outbox SET status = 'failed' WHERE id = $1`, [row.id]);
});

test('channels this dispatcher does not deliver stay pending for their own senders', async () => {
  await enqueue(t.deps.db, {
    channel: 'sms',
    recipientAddress: '+6281234567890',
    template: 'deadline.reminder',
    payload: reminderPayload,
    idempotencyKey: 'test:sms',
    availableAt: clock,
  });
  assert.deepEqual(await dispatch(capturingTransport()), { delivered: 0, failed: 0, retried: 0 });
  assert.deepEqual(
    (await outboxRows('test:sms')).map((r) => [r.status, r.attempts]),
    [['pending', 0]],
  );
});

/**
 * One reporter across channels: a number is an account's only once the account proved it (a
 * code sent to it by SMS was used). Then the reports that number's SMS made are the account's,
 * and its later SMS too; the reporter sees the link and can undo it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, startTestApp } from '../../../test/support/app.ts';
import { registerReporter } from '../accounts/accounts.service.ts';

let t: TestApp;
let seq = 0;
const PHONE = '081388880001';
const HANDLE = '+6281388880001';

async function sms(from: string, text: string) {
  seq += 1;
  const q = new URLSearchParams({ id: `ident-${seq}`, from, to: '1708', text });
  assert.equal((await t.request('GET', `/channels/kannel/incoming?${q}`)).status, 200);
  const [m] = await t.deps.db.query<{ report_id: number | null; user_id: number | null }>(
    'SELECT report_id, user_id FROM inbound_messages ORDER BY id DESC LIMIT 1',
  );
  return m!;
}

async function codeFor(userId: number): Promise<{ code: string; channel: string; address: string }> {
  const [row] = await t.deps.db.query<{ payload: { secret: { code: string } }; channel: string; recipient_address: string }>(
    `SELECT payload, channel, recipient_address FROM outbox WHERE template = 'account.sign_in_code' AND recipient_user_id = $1 ORDER BY id DESC LIMIT 1`,
    [userId],
  );
  return { code: row!.payload.secret.code, channel: row!.channel, address: row!.recipient_address };
}

before(async () => {
  // SMS on: codes for a phone login go by SMS.
  t = await startTestApp({ kannelSendsmsUrl: 'http://127.0.0.1:9/cgi-bin/sendsms', kannelUsername: 'lapor', smsGateway: 'kannel' });
});
after(() => t.close());

describe('a number becomes an account’s when the account proves it', () => {
  let owner = 0;
  let smsReport = 0;
  let smsAccount = 0;

  test('before: the number’s SMS make a reporter of their own, not the account that typed the number', async () => {
    owner = (
      await registerReporter(t.deps.db, {
        name: 'Siti Pemilik',
        phone: PHONE,
        email: 'siti.pemilik@test.lapor.go.id',
        password: 'kata-sandi-uji-123',
      })
    ).id;
    const m = await sms(PHONE, 'LAPOR Jalan di depan Puskesmas Siantan berlubang dan membahayakan pengendara.');
    smsReport = m.report_id!;
    smsAccount = m.user_id!;
    assert.notEqual(smsAccount, owner);
  });

  test('a sign-in code for the phone login goes by SMS to the number; using it verifies the number and joins the SMS reporter', async () => {
    const asked = await t.request('POST', '/api/v1/auth/code', { json: { login: PHONE } });
    assert.equal(asked.status, 202);
    const sent = await codeFor(owner);
    assert.equal(sent.channel, 'sms');
    assert.equal(sent.address, HANDLE);
    const signedIn = await t.request('POST', '/api/v1/auth/code/login', { json: { challenge: asked.body.challenge, code: sent.code } });
    assert.equal(signedIn.status, 200, signedIn.text);
    const [u] = await t.deps.db.query<{ phone_verified_at: Date | null }>('SELECT phone_verified_at FROM users WHERE id = $1', [owner]);
    assert.ok(u!.phone_verified_at);
    const [r] = await t.deps.db.query<{ reporter_id: number }>('SELECT reporter_id FROM reports WHERE id = $1', [smsReport]);
    assert.equal(r!.reporter_id, owner, 'the SMS report is the account’s now');
    const [old] = await t.deps.db.query<{ disabled_at: Date | null }>('SELECT disabled_at FROM users WHERE id = $1', [smsAccount]);
    assert.ok(old!.disabled_at, 'the SMS-only reporter is folded into the account');
    const token = signedIn.body.token;
    const mine = await t.request('GET', '/api/v1/me/channels', { token });
    assert.deepEqual(
      mine.body.items.map((i: { channel: string; handle: string }) => `${i.channel} ${i.handle}`),
      [`sms ${HANDLE}`],
    );
    const own = await t.request('GET', '/api/v1/me/reports', { token });
    assert.ok(
      own.body.items.some((i: { title: string }) => i.title.startsWith('Jalan di depan Puskesmas')),
      JSON.stringify(own.body).slice(0, 300),
    );
    const events = await t.deps.db.query<{ action: string }>('SELECT action FROM account_events WHERE user_id = $1 ORDER BY id', [owner]);
    assert.deepEqual(
      events.map((e) => e.action),
      ['phone_verified', 'channel_linked'],
    );
  });

  test('after: the number’s next SMS is the account’s; unlinked, it is not', async () => {
    const m = await sms(PHONE, 'LAPOR Sampah di TPS Jalan Khatulistiwa belum diangkut sejak Jumat.');
    assert.equal(m.user_id, owner);
    const asked = await t.request('POST', '/api/v1/auth/code', { json: { login: 'siti.pemilik@test.lapor.go.id' } });
    const sent = await codeFor(owner);
    assert.equal(sent.channel, 'email', 'an email login gets its code by email');
    const token = (await t.request('POST', '/api/v1/auth/code/login', { json: { challenge: asked.body.challenge, code: sent.code } })).body
      .token;
    const [identity] = (await t.request('GET', '/api/v1/me/channels', { token })).body.items;
    const other = await t.request('DELETE', '/api/v1/me/channels/99999', { token });
    assert.equal(other.status, 404);
    const gone = await t.request('DELETE', `/api/v1/me/channels/${identity.id}`, { token });
    assert.equal(gone.status, 200);
    const next = await sms(PHONE, 'LAPOR Saluran air tersumbat di Gang Melati RT 02, air meluap ke jalan.');
    assert.notEqual(next.user_id, owner, 'an unlinked number makes a reporter of its own again');
    const [r] = await t.deps.db.query<{ reporter_id: number }>('SELECT reporter_id FROM reports WHERE id = $1', [smsReport]);
    assert.equal(r!.reporter_id, owner, 'reports already made stay');
  });

  test('someone who registered a stranger’s number cannot get its code: the code goes to the number', async () => {
    const squatter = await registerReporter(t.deps.db, { name: 'Penyerobot', phone: '081388880002', password: 'kata-sandi-uji-123' });
    await t.request('POST', '/api/v1/auth/code', { json: { login: '081388880002' } });
    const sent = await codeFor(squatter.id);
    assert.equal(sent.channel, 'sms');
    assert.equal(sent.address, '+6281388880002', 'to the phone, not to anything the squatter holds');
  });

  test('the account page lists the number and unlinks it with a plain form', async () => {
    const asked = await t.request('POST', '/api/v1/auth/code', { json: { login: PHONE } });
    const sent = await codeFor(owner);
    const session = await t.request('POST', '/api/v1/auth/code/session', { json: { challenge: asked.body.challenge, code: sent.code } });
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;
    const page = await t.request('GET', '/akun', { headers: { cookie } });
    assert.equal(page.status, 200);
    assert.match(page.text, /SMS <strong>\+6281388880001<\/strong>/);
    // the form in the number's own card (an email code used earlier linked the address too)
    const id = /SMS <strong>\+6281388880001<\/strong>[\s\S]*?\/akun\/saluran\/(\d+)\/lepas/.exec(page.text)![1];
    assert.match(page.text, /EMAIL <strong>siti\.pemilik@test\.lapor\.go\.id<\/strong>/, 'an email code proves the address as well');
    const res = await t.request('POST', `/akun/saluran/${id}/lepas`, {
      headers: { cookie, origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
      raw: '',
    });
    assert.equal(res.status, 303);
    assert.equal((await t.request('GET', '/akun', { headers: { cookie } })).text.includes('<strong>+6281388880001</strong>'), false);
    const bad = await t.request('POST', '/akun/saluran/abc/lepas', {
      headers: { cookie, origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
      raw: '',
    });
    assert.equal(bad.status, 404);
  });
});

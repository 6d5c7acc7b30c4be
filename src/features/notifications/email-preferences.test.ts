import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestUser, reportInput, startTestApp } from '../../../test/support/app.ts';
import { sweepDueClocks } from '../sla/sweep.ts';
import { emailGroupOf, notifyUsers } from './outbox.ts';

let t: TestApp;
let citizen: TestUser;
let national: TestUser;

before(async () => {
  t = await startTestApp({ sessionTtlHours: 24 * 365 });
  citizen = await t.user('reporter');
  national = await t.user('national_admin');
});
after(() => t.close());

const prefs = (user: TestUser) => t.request('GET', '/api/v1/me/notification-preferences', { token: user.token });
const change = (user: TestUser, email: unknown) =>
  t.request('PUT', '/api/v1/me/notification-preferences', { token: user.token, json: { email } });
const rowsOf = (userId: number, template: string) =>
  t.deps.db.query<{ channel: string }>('SELECT channel FROM outbox WHERE recipient_user_id = $1 AND template = $2 ORDER BY channel', [
    userId,
    template,
  ]);

test('everything comes by email until the user says otherwise; security messages always do', async () => {
  const res = await prefs(citizen);
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.body, { email: { report_updates: true, deadlines: true, ombudsman: true }, alwaysByEmail: ['account'] });
  assert.equal(emailGroupOf('account.sign_in_code'), null);
  assert.equal(emailGroupOf('deadline.reminder'), 'deadlines');
  assert.equal(emailGroupOf('report.escalated'), 'report_updates');
  assert.equal((await t.request('GET', '/api/v1/me/notification-preferences')).status, 401);
});

test('a change keeps what it does not name; unknown groups (security messages among them) are refused', async () => {
  const off = await change(citizen, { deadlines: false });
  assert.equal(off.status, 200, off.text);
  assert.deepEqual(off.body.email, { report_updates: true, deadlines: false, ombudsman: true });
  const more = await change(citizen, { ombudsman: false });
  assert.deepEqual(more.body.email, { report_updates: true, deadlines: false, ombudsman: false });
  const account = await change(citizen, { account: false });
  assert.equal(account.status, 400);
  assert.ok(account.body.error.fields['email.account'], account.text);
  assert.equal((await change(citizen, { deadlines: 'no' })).status, 400);
  const back = await change(citizen, { deadlines: true, ombudsman: true });
  assert.deepEqual(back.body.email, { report_updates: true, deadlines: true, ombudsman: true });
});

test('an opted-out group gets in-app messages only; other groups and security messages still come by email', async () => {
  const staff = await t.user('agency_admin', 'pemkot-61.71');
  assert.equal((await change(staff, { ombudsman: false })).status, 200);
  await t.deps.db.transaction(async (tx) => {
    for (const template of ['ombudsman.findings', 'report.escalated', 'account.password_changed']) {
      await notifyUsers(tx, [staff.principal.userId], {
        template,
        payload: { trackingId: 'AAAAAAAA' },
        key: `pref-test:${template}`,
        at: new Date(),
      });
    }
  });
  assert.deepEqual(
    (await rowsOf(staff.principal.userId, 'ombudsman.findings')).map((r) => r.channel),
    ['in_app'],
  );
  assert.deepEqual(
    (await rowsOf(staff.principal.userId, 'report.escalated')).map((r) => r.channel),
    ['email', 'in_app'],
  );
  assert.deepEqual(
    (await rowsOf(staff.principal.userId, 'account.password_changed')).map((r) => r.channel),
    ['email', 'in_app'],
  );
});

test('the deadline sweep honours it too: a reminder reaches an opted-out admin in-app only', async () => {
  const other = await t.user('national_admin');
  assert.equal((await change(national, { deadlines: false })).status, 200);
  t.setNow('2026-11-24T03:00:00Z');
  const filed = await t.request('POST', '/api/v1/reports', { token: citizen.token, json: reportInput() });
  assert.equal(filed.status, 201, filed.text);
  // 24 hours before the verification deadline, the national desk is reminded.
  const result = await sweepDueClocks({ db: t.deps.db, limits: t.deps.config.sla }, new Date('2026-11-26T17:00:00Z'));
  assert.ok(result.reminders >= 1);
  assert.deepEqual([...new Set((await rowsOf(national.principal.userId, 'deadline.reminder')).map((r) => r.channel))], ['in_app']);
  assert.deepEqual([...new Set((await rowsOf(other.principal.userId, 'deadline.reminder')).map((r) => r.channel))], ['email', 'in_app']);
});

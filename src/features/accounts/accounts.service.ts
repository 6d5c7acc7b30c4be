import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { Config } from '../../config.ts';
import type { Db, Queryable } from '../../db/db.ts';
import { normalizePhone } from '../../domain/phone.ts';
import type { Role } from '../../domain/roles.ts';
import { AppError, invalidInput } from '../../errors.ts';
import type { Principal } from '../../domain/principal.ts';
import { enqueue, type OutboxChannel } from '../notifications/outbox.ts';
import * as repo from './accounts.repository.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.ts';

export interface PublicUser {
  id: number;
  role: Role;
  name: string;
  email: string | null;
  phone: string | null;
  bodyId: number | null;
}

export function toPublicUser(row: repo.UserRow): PublicUser {
  return { id: row.id, role: row.role, name: row.name, email: row.email, phone: row.phone, bodyId: row.body_id };
}

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

interface NewAccount {
  name: string;
  email?: string | null;
  phone?: string | null;
  password: string;
}

function normalizeContacts(input: { email?: string | null; phone?: string | null }) {
  const email = input.email?.trim().toLowerCase() || null;
  let phone: string | null = null;
  if (input.phone?.trim()) {
    phone = normalizePhone(input.phone);
    if (!phone) throw invalidInput({ phone: 'Nomor telepon tidak valid / Invalid phone number' });
  }
  if (!email && !phone) {
    throw invalidInput({
      email: 'Isi email atau nomor telepon / Give an email or a phone number',
      phone: 'Isi email atau nomor telepon / Give an email or a phone number',
    });
  }
  return { email, phone };
}

async function insertAccount(
  db: Queryable,
  input: Omit<NewAccount, 'password'> & { password: string | null; role: Role; bodyId: number | null },
): Promise<repo.UserRow> {
  const { email, phone } = normalizeContacts(input);
  const passwordHash = input.password === null ? null : await hashPassword(input.password);
  try {
    return await repo.insertUser(db, { role: input.role, name: input.name.trim(), email, phone, passwordHash, bodyId: input.bodyId });
  } catch (err) {
    throw conflictFrom(err);
  }
}

/** A unique email or phone taken by another account → 409 naming the field; anything else as it was. */
function conflictFrom(err: unknown): unknown {
  if ((err as { code?: string }).code === '23505') {
    return new AppError('conflict', 'Email atau nomor telepon sudah terdaftar / Email or phone already registered', {
      [String((err as { constraint?: string }).constraint ?? '').includes('phone') ? 'phone' : 'email']:
        'sudah terdaftar / already registered',
    });
  }
  return err;
}

export function registerReporter(db: Queryable, input: NewAccount): Promise<repo.UserRow> {
  return insertAccount(db, { ...input, role: 'reporter', bodyId: null });
}

/** The staff roles: every role but the reporter's, which citizens take by registering. */
export const STAFF_ROLES = ['national_admin', 'agency_admin', 'unit_officer', 'ombudsman', 'monitor', 'integrator'] as const;

/** The roles an agency admin may give, each only within its own body: agency admins of the body, unit officers of its units, integrators. */
export const AGENCY_GRANTABLE_ROLES = ['agency_admin', 'unit_officer', 'integrator'] as const;

/**
 * Whether `actor` may put an account in `role` at `bodyId`, and whether the role fits the body:
 * for a new account and for a role change alike. A national admin may give any staff role; an
 * agency admin an agency admin of its own body, a unit officer of one of its units, an
 * integrator of its body or its units; nobody else any.
 */
async function checkPlacement(db: Queryable, actor: Principal | 'cli', role: Role, bodyId: number | null): Promise<void> {
  const needsBody = ['agency_admin', 'unit_officer', 'ombudsman', 'integrator'].includes(role);
  if (role === 'reporter') throw invalidInput({ role: 'Pelapor mendaftar sendiri / Reporters register themselves' });
  if (needsBody && bodyId === null) throw invalidInput({ bodyId: `Wajib untuk peran ${role} / Required for role ${role}` });
  if (!needsBody && bodyId !== null) throw invalidInput({ bodyId: `Tidak dipakai untuk peran ${role} / Not used for role ${role}` });
  if (bodyId !== null) {
    const body = await repo.bodyExists(db, bodyId);
    if (!body) throw invalidInput({ bodyId: 'Instansi tidak ditemukan / Unknown body' });
    if (!body.active) throw invalidInput({ bodyId: 'Instansi ini nonaktif / This body is deactivated' });
    if (role === 'unit_officer' && body.kind !== 'unit') throw invalidInput({ bodyId: 'Harus sebuah unit / Must be a unit' });
    if (role === 'agency_admin' && (body.kind === 'unit' || body.kind === 'ombudsman')) {
      throw invalidInput({ bodyId: 'Harus instansi K/L/D / Must be a ministry, agency or government' });
    }
    if (role === 'ombudsman' && body.kind !== 'ombudsman')
      throw invalidInput({ bodyId: 'Harus kantor Ombudsman / Must be an Ombudsman office' });
  }
  if (actor !== 'cli' && actor.role !== 'national_admin') {
    const allowed =
      actor.role === 'agency_admin' &&
      actor.bodyId !== null &&
      bodyId !== null &&
      (role === 'agency_admin'
        ? bodyId === actor.bodyId
        : (role === 'unit_officer' || role === 'integrator') && (await repo.isBodyWithin(db, bodyId, actor.bodyId)));
    if (!allowed)
      throw new AppError('forbidden', 'Anda tidak boleh memberi peran ini di instansi ini / You may not give this role at this body');
  }
}

/**
 * Staff accounts are made by admins (checkPlacement says who may make which). Without a password
 * the account has none until its owner sets one (createStaffAccount sends the link).
 */
export async function createStaffUser(
  db: Queryable,
  creator: Principal | 'cli',
  input: Omit<NewAccount, 'password'> & { password: string | null; role: Role; bodyId?: number | null },
): Promise<repo.UserRow> {
  const bodyId = input.bodyId ?? null;
  await checkPlacement(db, creator, input.role, bodyId);
  return insertAccount(db, { ...input, bodyId });
}

/**
 * An admin makes a staff account, recorded as its first event. Given no password, it has none:
 * its owner gets a single-use link by email to set one (a password-reset token that lives
 * STAFF_INVITE_TTL_SECONDS; after that "forgot password" sends a new one), so no password is
 * ever typed, shown or sent by the admin. An account without a password needs an email.
 */
export async function createStaffAccount(
  db: Db,
  config: Config,
  creator: Principal,
  input: Omit<NewAccount, 'password'> & { password?: string | null; role: Role; bodyId?: number | null },
  now: Date,
): Promise<{ user: repo.UserRow; invitation: { expiresAt: Date } | null }> {
  const password = input.password || null;
  if (!password && !input.email?.trim()) {
    throw invalidInput({
      email: 'Wajib: tautan untuk membuat kata sandi dikirim ke email ini / Required: the link to set a password goes to this email',
    });
  }
  return db.transaction(async (tx) => {
    const user = await createStaffUser(tx, creator, { ...input, password });
    await repo.insertAccountEvent(tx, {
      userId: user.id,
      actorId: creator.userId,
      action: 'created',
      at: now,
      data: { role: user.role, bodyId: user.body_id, invited: password === null },
    });
    if (password !== null) return { user, invitation: null };
    const token = randomBytes(32).toString('base64url');
    const tokenHash = hashToken(token);
    const expiresAt = new Date(now.getTime() + config.staffInviteTtlSeconds * 1000);
    const link = config.publicOrigin ? `${config.publicOrigin}/atur-ulang-sandi#token=${token}` : null;
    await repo.insertPasswordReset(tx, { tokenHash, userId: user.id, now, expiresAt });
    await enqueue(tx, {
      channel: 'email',
      recipientUserId: user.id,
      recipientAddress: user.email!,
      template: 'account.invitation',
      payload: {
        expiresAt: expiresAt.toISOString(),
        hours: Math.round(config.staffInviteTtlSeconds / 3600),
        role: user.role,
        secret: { token, link },
      },
      idempotencyKey: `invitation:${tokenHash.toString('hex')}`,
      availableAt: now,
    });
    return { user, invitation: { expiresAt } };
  });
}

export async function openSession(
  db: Queryable,
  config: Config,
  userId: number,
  kind: 'cookie' | 'bearer',
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + config.sessionTtlHours * 3_600_000);
  await repo.insertSession(db, { tokenHash: hashToken(token), userId, kind, expiresAt });
  return { token, expiresAt };
}

// ---- throttling ----

function tooManyAttempts(retryAt: Date, now: Date, what = 'percobaan masuk / sign-in attempts'): AppError {
  const [id, en] = what.split(' / ');
  const error = new AppError('too_many_attempts', `Terlalu banyak ${id}, coba lagi nanti / Too many ${en}, try again later`);
  error.retryAfterSeconds = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000));
  return error;
}

/**
 * The key one client address is counted under. IPv4 as it is (an IPv4-mapped IPv6 address too);
 * IPv6 by its /64, since one subscriber is given a whole /64 and could otherwise change address
 * at every guess.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIPv6(address)) {
    const [head = '', tail = ''] = address.toLowerCase().split('::');
    const left = head ? head.split(':') : [];
    const right = tail ? tail.split(':') : [];
    const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
    return `${groups
      .slice(0, 4)
      .map((g) => g.replace(/^0+(?=.)/, ''))
      .join(':')}::/64`;
  }
  return address;
}

/** A login as it is looked up and counted: an email in lower case, a phone number as +62…. */
function normalizeLogin(login: string): string {
  const trimmed = login.trim().toLowerCase();
  return normalizePhone(trimmed) ?? trimmed;
}

/** One account is one key, whatever the login; a login with no account is keyed on itself. */
function accountKey(user: repo.UserRow | null, normalizedLogin: string): string {
  return user ? `acct:${user.id}` : `acct:login:${normalizedLogin}`;
}

/** Counts an attempt in a fixed window; over the limit → 429 with the end of the window. */
async function countOrRefuse(db: Queryable, key: string, max: number, windowSeconds: number, now: Date, what?: string): Promise<void> {
  const counted = await repo.countAttempt(db, key, max, now, new Date(now.getTime() - windowSeconds * 1000));
  if (counted.attempts > max) throw tooManyAttempts(new Date(counted.windowStart.getTime() + windowSeconds * 1000), now, what);
}

/**
 * Reserves one password check, before the password is looked at: counted per client address
 * (loosely, many citizens share one behind carrier-grade NAT), per address and account (a hard
 * limit), then at the account itself, whose growing wait holds however many addresses guess.
 * Each count is one atomic statement, so parallel guesses are refused, not checked. Nothing here
 * stops the owner: a one-time code by email does not pass through it.
 */
async function reservePasswordCheck(
  db: Queryable,
  config: Config,
  account: string,
  address: string,
  now: Date,
): Promise<{ addressKey: string; owned: string[] }> {
  const client = addressKey(address);
  const pair = `pair:${client} ${account}`;
  const ipKey = `ip:${client}`;
  await countOrRefuse(db, ipKey, config.loginMaxAttemptsPerAddress, config.loginWindowSeconds, now);
  await countOrRefuse(db, pair, config.loginMaxAttempts, config.loginWindowSeconds, now);
  const reserved = await repo.reserveAccountAttempt(
    db,
    account,
    { free: config.loginFreeAttempts, maxDelaySeconds: config.loginDelayMaxSeconds },
    now,
    new Date(now.getTime() - config.loginWindowSeconds * 1000),
  );
  if (!reserved.granted) throw tooManyAttempts(reserved.nextAt, now);
  return { addressKey: ipKey, owned: [account, pair] };
}

/**
 * The owner knew the password: the account's wait and this address's count at it start again,
 * and this sign-in's own attempt is given back to the address, so that the many honest people
 * behind one address (a carrier's NAT, an office, a warnet) never use up its budget by signing in.
 * Only that attempt: a sprayer who signs in to an account of their own between guesses still
 * has every guess counted (and at the limit cannot even sign in to collect a refund).
 */
async function settleSuccessfulCheck(db: Queryable, keys: { addressKey: string; owned: string[] }): Promise<void> {
  await repo.clearThrottle(db, keys.owned);
  await repo.refundAttempt(db, keys.addressKey);
}

const WRONG_CREDENTIALS = 'Login atau kata sandi salah / Wrong login or password';

/**
 * Checks a login and password. The attempt is counted first (reservePasswordCheck); an unknown
 * login costs the same work and gets the same answer as a wrong password.
 */
export async function authenticate(
  db: Queryable,
  config: Config,
  input: { login: string; password: string; clientAddress: string },
  now: Date,
): Promise<repo.UserRow> {
  const login = normalizeLogin(input.login);
  const user = await repo.findUserByLogin(db, login);
  const keys = await reservePasswordCheck(db, config, accountKey(user, login), input.clientAddress, now);
  // An unknown login spends the same work on a dummy hash, so timing reveals nothing.
  const ok = await verifyPassword(input.password, user?.password_hash ?? (await dummyPasswordHash()));
  if (!user?.password_hash) throw new AppError('invalid_credentials', WRONG_CREDENTIALS);
  if (!user || !ok || user.disabled_at) throw new AppError('invalid_credentials', WRONG_CREDENTIALS);
  await settleSuccessfulCheck(db, keys);
  return user;
}

/** The current password of a signed-in account, checked under the same counts as a sign-in. */
async function checkCurrentPassword(
  db: Queryable,
  config: Config,
  user: repo.UserRow,
  password: string,
  address: string,
  now: Date,
): Promise<void> {
  const keys = await reservePasswordCheck(db, config, accountKey(user, ''), address, now);
  if (!user.password_hash || !(await verifyPassword(password, user.password_hash))) {
    throw invalidInput({ currentPassword: 'Kata sandi saat ini salah / The current password is wrong' });
  }
  await settleSuccessfulCheck(db, keys);
}

/** Registration, counted per client address before anything is looked up, so that it cannot test emails and phones for accounts at speed. */
export async function register(db: Queryable, config: Config, input: NewAccount, clientAddress: string, now: Date): Promise<repo.UserRow> {
  await countOrRefuse(
    db,
    `register:${addressKey(clientAddress)}`,
    config.registerMaxPerAddress,
    config.registerWindowSeconds,
    now,
    'pendaftaran dari alamat ini / registrations from this address',
  );
  return registerReporter(db, input);
}

// ---- messages to the account's own address: one-time codes and reset links ----

/**
 * How a secret reaches an account's owner. Email today; an SMS channel (the channels issue) adds
 * { channel: 'sms', addressOf: (u) => u.phone } once a sender delivers the outbox's 'sms' rows,
 * and nothing else here changes. The first channel with an address is used.
 */
export interface SecretChannel {
  channel: OutboxChannel;
  addressOf(user: repo.UserRow): string | null;
}
const SECRET_CHANNELS: readonly SecretChannel[] = [{ channel: 'email', addressOf: (user) => user.email }];
const SMS_SECRET: SecretChannel = { channel: 'sms', addressOf: (user) => user.phone };

/**
 * Where a sign-in code goes: by SMS to the number when the login is a phone number and SMS is on
 * (a code used from it verifies the number), else by email, else by SMS to a phone-only account.
 */
function codeChannels(config: Config, login: string): readonly SecretChannel[] {
  if (!config.smsGateway) return SECRET_CHANNELS;
  return login.startsWith('+') ? [SMS_SECRET, ...SECRET_CHANNELS] : [...SECRET_CHANNELS, SMS_SECRET];
}

function channelFor(user: repo.UserRow | null, channels: readonly SecretChannel[]): { channel: OutboxChannel; address: string } | null {
  if (!user || user.disabled_at) return null;
  for (const c of channels) {
    const address = c.addressOf(user);
    if (address) return { channel: c.channel, address };
  }
  return null;
}

/**
 * Whether a secret may be sent to this account now: per client address a refusal (429, which says
 * nothing about the account); per account a silent no, so that nobody can flood an inbox.
 */
async function maySend(
  db: Queryable,
  config: Config,
  user: repo.UserRow | null,
  login: string,
  address: string,
  now: Date,
): Promise<boolean> {
  await countOrRefuse(db, `mail:${addressKey(address)}`, config.loginMaxAttempts, config.loginWindowSeconds, now, 'permintaan / requests');
  const counted = await repo.countAttempt(
    db,
    `mail:${accountKey(user, login)}`,
    config.accountMailMaxPerWindow,
    now,
    new Date(now.getTime() - config.loginWindowSeconds * 1000),
  );
  return counted.attempts <= config.accountMailMaxPerWindow;
}

function sixDigits(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

function codeHash(challenge: string, code: string): Buffer {
  return createHash('sha256').update(`${challenge}:${code}`).digest();
}

/**
 * Sends a one-time sign-in code to the account's own address. The answer is the same whether or
 * not the account exists: a random challenge, which the caller sends back with the code. A
 * guesser who knows only the login has no challenge of the owner's, so guessing cannot use up the
 * owner's code; and the code does not pass the password's counters, so the owner gets in while
 * the password is being guessed.
 */
export async function requestSignInCode(
  db: Db,
  config: Config,
  input: { login: string; clientAddress: string },
  now: Date,
  channelsOverride?: readonly SecretChannel[],
): Promise<{ challenge: string; expiresAt: Date }> {
  const login = normalizeLogin(input.login);
  const channels = channelsOverride ?? codeChannels(config, login);
  const user = await repo.findUserByLogin(db, login);
  const allowed = await maySend(db, config, user, login, input.clientAddress, now);
  const target = allowed ? channelFor(user, channels) : null;
  const challenge = randomBytes(32).toString('base64url');
  const code = sixDigits();
  const expiresAt = new Date(now.getTime() + config.signInCodeTtlSeconds * 1000);
  const challengeHash = hashToken(challenge);
  await db.transaction(async (tx) => {
    await repo.insertSignInCode(tx, {
      challengeHash,
      userId: target ? user!.id : null,
      codeHash: codeHash(challenge, code),
      now,
      expiresAt,
      sentToPhone: target?.channel === 'sms' ? target.address : null,
      sentToEmail: target?.channel === 'email' ? target.address.toLowerCase() : null,
    });
    if (target) {
      await enqueue(tx, {
        channel: target.channel,
        recipientUserId: user!.id,
        recipientAddress: target.address,
        template: 'account.sign_in_code',
        payload: { expiresAt: expiresAt.toISOString(), minutes: Math.round(config.signInCodeTtlSeconds / 60), secret: { code } },
        idempotencyKey: `sign-in-code:${challengeHash.toString('hex')}`,
        availableAt: now,
      });
    }
  });
  return { challenge, expiresAt };
}

const WRONG_CODE = 'Kode salah atau kedaluwarsa / Wrong or expired code';

/** Signs in with a challenge and its code: single use, short-lived, a few guesses per code. */
export async function authenticateWithCode(
  db: Db,
  config: Config,
  input: { challenge: string; code: string; clientAddress: string },
  now: Date,
): Promise<repo.UserRow> {
  await countOrRefuse(db, `code:${addressKey(input.clientAddress)}`, config.loginMaxAttemptsPerAddress, config.loginWindowSeconds, now);
  const row = await repo.reserveCodeAttempt(db, hashToken(input.challenge), config.signInCodeMaxAttempts, now);
  const expected = row ? Buffer.from(row.code_hash) : randomBytes(32);
  const given = codeHash(input.challenge, input.code);
  if (!row || !timingSafeEqual(expected, given) || row.user_id === null) throw new AppError('invalid_credentials', WRONG_CODE);
  if (!(await repo.consumeSignInCode(db, row.id, row.user_id, now))) throw new AppError('invalid_credentials', WRONG_CODE);
  const user = await repo.findUserById(db, row.user_id);
  if (!user || user.disabled_at) throw new AppError('invalid_credentials', WRONG_CODE);
  // A code proves the address it went to: a number sent an SMS code is verified, and the account
  // is the reporter that number's SMS (or that address's email) are — its channel identity, and
  // the reports a channel-only account made.
  const proven = row.sent_to_phone
    ? { channel: 'sms' as const, handle: row.sent_to_phone }
    : row.sent_to_email
      ? { channel: 'email' as const, handle: row.sent_to_email }
      : null;
  if (proven) {
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`channel:${proven.channel}:${proven.handle}`]);
      if (proven.channel === 'sms' && (await repo.verifyPhone(tx, user.id, proven.handle, now))) {
        await repo.insertAccountEvent(tx, {
          userId: user.id,
          actorId: user.id,
          action: 'phone_verified',
          at: now,
          data: { phone: proven.handle },
        });
      }
      const claimed = await repo.claimChannelIdentity(tx, user.id, proven.channel, proven.handle, now);
      if (claimed.mergedFrom !== null) {
        await repo.insertAccountEvent(tx, {
          userId: user.id,
          actorId: user.id,
          action: 'channel_linked',
          at: now,
          data: { channel: proven.channel, handle: proven.handle, mergedAccountId: claimed.mergedFrom },
        });
      }
    });
  }
  return user;
}

/** The channel identities (an SMS number, later a chat handle) that are this reporter. */
export async function myChannelIdentities(db: Queryable, principal: Principal) {
  const rows = await repo.selectChannelIdentities(db, principal.userId);
  return rows.map((r) => ({ id: r.id, channel: r.channel, handle: r.handle, since: r.created_at.toISOString() }));
}

/**
 * Unlinks one of the reporter's channel identities: later messages from that number or handle
 * are no longer this account's (they make a reporter of their own), and the account's own number,
 * if it was that one, counts as unverified again. Reports already made stay.
 */
export async function unlinkChannelIdentity(db: Db, principal: Principal, id: number, now: Date) {
  return db.transaction(async (tx) => {
    const removed = await repo.deleteChannelIdentity(tx, principal.userId, id);
    if (!removed) throw new AppError('not_found', 'Identitas saluran tidak ditemukan / Channel identity not found');
    // The account's own number, once unlinked, is no longer taken as proven: its next SMS would
    // otherwise join the account again.
    if (removed.channel === 'sms') {
      await tx.query('UPDATE users SET phone_verified_at = NULL WHERE id = $1 AND phone = $2', [principal.userId, removed.handle]);
    }
    await repo.insertAccountEvent(tx, {
      userId: principal.userId,
      actorId: principal.userId,
      action: 'channel_unlinked',
      at: now,
      data: { channel: removed.channel, handle: removed.handle },
    });
    return { id: removed.id, channel: removed.channel, handle: removed.handle, since: removed.created_at.toISOString() };
  });
}

/**
 * Emails a single-use password-reset token to the account's own address. Always the same answer
 * (the route gives 202), whether or not the account exists or has an address.
 */
export async function requestPasswordReset(
  db: Db,
  config: Config,
  input: { login: string; clientAddress: string },
  now: Date,
  channels: readonly SecretChannel[] = SECRET_CHANNELS,
): Promise<void> {
  const login = normalizeLogin(input.login);
  const user = await repo.findUserByLogin(db, login);
  const allowed = await maySend(db, config, user, login, input.clientAddress, now);
  const target = allowed ? channelFor(user, channels) : null;
  if (!target) return;
  const token = randomBytes(32).toString('base64url');
  const tokenHash = hashToken(token);
  const expiresAt = new Date(now.getTime() + config.passwordResetTtlSeconds * 1000);
  // In the fragment, which browsers never send to a server nor put in a Referer.
  const link = config.publicOrigin ? `${config.publicOrigin}/atur-ulang-sandi#token=${token}` : null;
  await db.transaction(async (tx) => {
    await repo.insertPasswordReset(tx, { tokenHash, userId: user!.id, now, expiresAt });
    await enqueue(tx, {
      channel: target.channel,
      recipientUserId: user!.id,
      recipientAddress: target.address,
      template: 'account.password_reset',
      payload: { expiresAt: expiresAt.toISOString(), minutes: Math.round(config.passwordResetTtlSeconds / 60), secret: { token, link } },
      idempotencyKey: `password-reset:${tokenHash.toString('hex')}`,
      availableAt: now,
    });
  });
}

/** Sets a new password with a reset token; every session of the account ends. */
export async function completePasswordReset(db: Db, input: { token: string; password: string }, now: Date): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  const done = await db.transaction(async (tx) => {
    const userId = await repo.consumePasswordReset(tx, hashToken(input.token), now);
    if (userId === null) return false;
    await repo.updatePassword(tx, userId, passwordHash);
    await repo.deleteSessionsOf(tx, userId);
    // The owner proved the mailbox: their password sign-in need not wait behind a guesser's.
    await repo.clearThrottle(tx, [`acct:${userId}`]);
    await repo.insertAccountEvent(tx, { userId, actorId: userId, action: 'password_reset', at: now });
    const user = await repo.findUserById(tx, userId);
    if (user) await tellOwner(tx, user, 'account.password_changed', { how: 'reset' }, now);
    return true;
  });
  if (!done) throw invalidInput({ token: 'Tautan tidak valid, sudah dipakai atau kedaluwarsa / Invalid, used or expired link' });
}

/**
 * Tells the owner that the password or contacts of the account changed, at the address the
 * account had before the change (so a hijacker who changes the email is still seen), and in-app.
 */
async function tellOwner(
  tx: Queryable,
  user: repo.UserRow,
  template: 'account.password_changed' | 'account.contact_changed',
  payload: Record<string, unknown>,
  now: Date,
): Promise<void> {
  const key = `${template}:${user.id}:${randomBytes(8).toString('hex')}`;
  await enqueue(tx, { channel: 'in_app', recipientUserId: user.id, template, payload, idempotencyKey: `${key}:in_app`, availableAt: now });
  if (user.email) {
    await enqueue(tx, {
      channel: 'email',
      recipientUserId: user.id,
      recipientAddress: user.email,
      template,
      payload,
      idempotencyKey: `${key}:email`,
      availableAt: now,
    });
  }
}

// ---- the signed-in account ----

async function currentUser(db: Queryable, principal: Principal): Promise<repo.UserRow> {
  const user = await repo.findUserById(db, principal.userId);
  if (!user) throw new AppError('unauthenticated', 'Silakan masuk terlebih dahulu / Sign in first');
  return user;
}

/** Changes the password (the current one is required); every other session of the account ends. */
export async function changePassword(
  db: Db,
  config: Config,
  principal: Principal,
  input: { currentPassword: string; newPassword: string; currentSession: string | null; clientAddress: string },
  now: Date,
): Promise<void> {
  const user = await currentUser(db, principal);
  await checkCurrentPassword(db, config, user, input.currentPassword, input.clientAddress, now);
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await repo.updatePassword(tx, user.id, passwordHash);
    await repo.deleteSessionsOf(tx, user.id, input.currentSession ? hashToken(input.currentSession) : null);
    await repo.insertAccountEvent(tx, { userId: user.id, actorId: user.id, action: 'password_changed', at: now });
    await tellOwner(tx, user, 'account.password_changed', { how: 'changed' }, now);
  });
}

export async function signOutEverywhere(db: Db, principal: Principal, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const ended = await repo.deleteSessionsOf(tx, principal.userId);
    await repo.insertAccountEvent(tx, {
      userId: principal.userId,
      actorId: principal.userId,
      action: 'signed_out_everywhere',
      at: now,
      data: { sessions: ended },
    });
  });
}

/**
 * Edits one's own profile. The name changes freely; a new email or phone, which is where codes and
 * reset links go, needs the current password.
 */
export async function updateProfile(
  db: Db,
  config: Config,
  principal: Principal,
  input: { name?: string; email?: string | null; phone?: string | null; currentPassword?: string; clientAddress: string },
  now: Date,
): Promise<repo.UserRow> {
  const user = await currentUser(db, principal);
  const next = { name: input.name?.trim() ?? user.name, email: user.email, phone: user.phone };
  if (input.email !== undefined || input.phone !== undefined) {
    const contacts = normalizeContacts({
      email: input.email !== undefined ? input.email : user.email,
      phone: input.phone !== undefined ? input.phone : user.phone,
    });
    next.email = contacts.email;
    next.phone = contacts.phone;
  }
  const changed = (['name', 'email', 'phone'] as const).filter((f) => next[f] !== user[f]);
  if (changed.length === 0) return user;
  if (changed.includes('email') || changed.includes('phone')) {
    if (!input.currentPassword) {
      throw invalidInput({ currentPassword: 'Wajib untuk mengubah email atau telepon / Required to change the email or phone' });
    }
    await checkCurrentPassword(db, config, user, input.currentPassword, input.clientAddress, now);
  }
  try {
    return await db.transaction(async (tx) => {
      const updated = await repo.updateProfile(tx, user.id, next);
      await repo.insertAccountEvent(tx, {
        userId: user.id,
        actorId: user.id,
        action: 'profile_changed',
        at: now,
        data: { fields: changed },
      });
      const contacts = changed.filter((f) => f !== 'name');
      if (contacts.length > 0) await tellOwner(tx, user, 'account.contact_changed', { fields: contacts }, now);
      return updated;
    });
  } catch (err) {
    throw conflictFrom(err);
  }
}

// ---- admins: the accounts in their scope ----

export interface AdminUser extends PublicUser {
  bodyName: string | null;
  disabledAt: string | null;
  createdAt: string;
}

function toAdminUser(row: repo.AdminUserRow): AdminUser {
  return {
    ...toPublicUser(row),
    bodyName: row.body_name,
    disabledAt: row.disabled_at ? row.disabled_at.toISOString() : null,
    createdAt: row.created_at.toISOString(),
  };
}

/** National admins manage every account; agency admins the staff of their body and the units below it. */
function adminScope(principal: Principal): number | null {
  if (principal.role === 'national_admin') return null;
  if (principal.role === 'agency_admin' && principal.bodyId !== null) return principal.bodyId;
  throw new AppError('forbidden', 'Hanya admin yang dapat mengelola akun / Only admins manage accounts');
}

export async function listUsers(
  db: Queryable,
  principal: Principal,
  query: { q?: string; role?: Role; status?: 'active' | 'disabled'; page: number; pageSize: number },
): Promise<{ items: AdminUser[]; total: number; page: number; pageSize: number }> {
  const scopeBodyId = adminScope(principal);
  const q = query.q?.trim() || null;
  const phone = q ? normalizePhone(q) : null;
  const { rows, total } = await repo.listUsers(db, {
    scopeBodyId,
    q: phone ?? q,
    role: query.role ?? null,
    status: query.status ?? null,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { items: rows.map(toAdminUser), total, page: query.page, pageSize: query.pageSize };
}

async function userInScope(db: Queryable, principal: Principal, userId: number): Promise<repo.AdminUserRow> {
  const row = await repo.findUserInScope(db, userId, adminScope(principal));
  if (!row) throw new AppError('not_found', 'Akun tidak ditemukan / Account not found');
  return row;
}

/** Disables (ending every session) or re-enables an account in scope; nobody disables themselves. */
export async function setAccountDisabled(db: Db, principal: Principal, userId: number, disabled: boolean, now: Date): Promise<AdminUser> {
  const target = await userInScope(db, principal, userId);
  if (target.id === principal.userId) {
    throw new AppError('forbidden', 'Anda tidak dapat menonaktifkan akun sendiri / You cannot disable your own account');
  }
  await db.transaction(async (tx) => {
    await repo.setDisabled(tx, userId, disabled ? now : null);
    const ended = disabled ? await repo.deleteSessionsOf(tx, userId) : 0;
    await repo.insertAccountEvent(tx, {
      userId,
      actorId: principal.userId,
      action: disabled ? 'disabled' : 'enabled',
      at: now,
      data: disabled ? { sessions: ended } : {},
    });
  });
  return toAdminUser((await repo.findUserInScope(db, userId, null))!);
}

export interface AccountEvent {
  id: number;
  action: repo.AccountAction;
  at: string;
  actor: { id: number; name: string; role: Role } | null;
  data: Record<string, unknown>;
}

function toAccountEvent(r: repo.AccountEventRow): AccountEvent {
  return {
    id: r.id,
    action: r.action,
    at: r.at.toISOString(),
    actor: r.actor_id === null ? null : { id: r.actor_id, name: r.actor_name!, role: r.actor_role! },
    data: r.data,
  };
}

/** What was done to an account in scope, newest first (the latest 200). */
export async function accountEvents(db: Queryable, principal: Principal, userId: number): Promise<AccountEvent[]> {
  await userInScope(db, principal, userId);
  return (await repo.listAccountEvents(db, userId)).map(toAccountEvent);
}

/** An account in scope as its admin sees it, with one page of its events, newest first. */
export async function accountDetail(db: Queryable, principal: Principal, userId: number, page: { page: number; perPage: number }) {
  const user = toAdminUser(await userInScope(db, principal, userId));
  const [rows, total] = await Promise.all([
    repo.listAccountEvents(db, userId, page.perPage, (page.page - 1) * page.perPage),
    repo.countAccountEvents(db, userId),
  ]);
  const items = rows.map(toAccountEvent);
  // the bodies an event names by id (a creation's, a role change's before and after), by name
  const bodyIds = new Set<number>();
  for (const e of items) {
    for (const at of [e.data, e.data.from, e.data.to] as { bodyId?: unknown }[]) {
      if (at && typeof at === 'object' && Number.isSafeInteger(at.bodyId)) bodyIds.add(at.bodyId as number);
    }
  }
  const bodyNames = Object.fromEntries((await repo.bodyNames(db, [...bodyIds])).map((b) => [b.id, b.name]));
  return { user, events: { items, total, page: page.page, perPage: page.perPage, bodyNames } };
}

/**
 * An admin moves a staff account to another role or body, within what checkPlacement lets the
 * admin give. Nobody changes their own account (so nobody raises their own role), and a
 * reporter's account is not made staff. The change is an account event (from, to), and every
 * session of the account ends, so its owner signs in again into the new role and scope.
 */
export async function changeStaffRole(
  db: Db,
  principal: Principal,
  userId: number,
  input: { role: Role; bodyId?: number | null },
  now: Date,
): Promise<{ before: AdminUser; after: AdminUser; sessionsEnded: number }> {
  const target = await userInScope(db, principal, userId);
  if (target.id === principal.userId) {
    throw new AppError('forbidden', 'Anda tidak dapat mengubah peran akun sendiri / You cannot change your own account’s role');
  }
  if (target.role === 'reporter') {
    throw new AppError('conflict', 'Akun pelapor tidak dapat dijadikan akun staf / A reporter’s account cannot be made a staff account');
  }
  const bodyId = input.bodyId ?? null;
  await checkPlacement(db, principal, input.role, bodyId);
  const sessionsEnded = await db.transaction(async (tx) => {
    const locked = await repo.lockUser(tx, userId);
    if (!locked) throw new AppError('not_found', 'Akun tidak ditemukan / Account not found');
    if (locked.role === input.role && locked.body_id === bodyId) {
      throw invalidInput({ role: 'Peran dan instansinya sudah seperti ini / The account already has this role and body' });
    }
    await repo.updatePlacement(tx, userId, input.role, bodyId);
    const ended = await repo.deleteSessionsOf(tx, userId);
    await repo.insertAccountEvent(tx, {
      userId,
      actorId: principal.userId,
      action: 'role_changed',
      at: now,
      data: { from: { role: locked.role, bodyId: locked.body_id }, to: { role: input.role, bodyId }, sessions: ended },
    });
    return ended;
  });
  return { before: toAdminUser(target), after: toAdminUser((await repo.findUserInScope(db, userId, null))!), sessionsEnded };
}

/** The worker's hourly clean-up of counters, codes, reset tokens and sessions that can no longer matter. */
export function pruneAccountSecurity(db: Queryable, config: Config, now: Date) {
  const longestWindow = Math.max(config.loginWindowSeconds, config.registerWindowSeconds);
  return repo.pruneAccountSecurity(db, now, new Date(now.getTime() - longestWindow * 1000));
}

/** The signed-in account, as the account itself sees it. */
export async function myAccount(db: Queryable, principal: Principal): Promise<PublicUser> {
  return toPublicUser(await currentUser(db, principal));
}

export async function resolvePrincipal(
  db: Queryable,
  token: string,
  now: Date,
): Promise<{ principal: Principal; kind: 'cookie' | 'bearer' } | null> {
  const row = await repo.findActiveSession(db, hashToken(token), now);
  if (!row) return null;
  return { principal: { userId: row.user_id, role: row.role, name: row.name, bodyId: row.body_id }, kind: row.kind };
}

export function closeSession(db: Queryable, token: string): Promise<void> {
  return repo.deleteSession(db, hashToken(token));
}

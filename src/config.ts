import { BlockList, isIP } from 'node:net';
import path from 'node:path';
import { DEFAULT_SLA_LIMITS, type SlaLimits } from './domain/sla.ts';

export interface Config {
  port: number;
  /** The address the server listens on: loopback unless HOST says otherwise. */
  host: string;
  /** Folder for the embedded database and, by default, attachments. */
  dataDir: string;
  /** When set, use this PostgreSQL server instead of the embedded database. */
  databaseUrl: string | null;
  attachmentsDir: string;
  /** Seed demo accounts and reports, and print the sign-in details at start. */
  demo: boolean;
  maxAttachmentBytes: number;
  maxAttachments: number;
  /** Marks session cookies Secure. Browsers accept Secure cookies on http://localhost. */
  cookieSecure: boolean;
  sessionTtlHours: number;
  /** Sign-in attempts allowed per client address and account in one window (a hard limit). */
  loginMaxAttempts: number;
  /** Sign-in attempts allowed per client address in one window, whatever the accounts. */
  loginMaxAttemptsPerAddress: number;
  loginWindowSeconds: number;
  /** Password attempts at one account checked at once; each further one waits 1, 2, 4 … s. */
  loginFreeAttempts: number;
  /** The longest wait between password attempts at one account. */
  loginDelayMaxSeconds: number;
  /** Lifetime of an emailed one-time sign-in code, and the guesses one code allows. */
  signInCodeTtlSeconds: number;
  signInCodeMaxAttempts: number;
  /** Sign-in codes and reset links sent to one account per LOGIN_WINDOW_SECONDS. */
  accountMailMaxPerWindow: number;
  /** Lifetime of a password-reset link. */
  passwordResetTtlSeconds: number;
  /** Lifetime of the link a new staff account gets to set its first password. */
  staffInviteTtlSeconds: number;
  /** Registrations allowed per client address in one window. */
  registerMaxPerAddress: number;
  registerWindowSeconds: number;
  /** Behind one reverse proxy: the client address is the last X-Forwarded-For entry (the one the proxy added). */
  trustProxy: boolean;
  /** The public origin (https://lapor.example.go.id) when a proxy terminates TLS; used for same-origin checks. */
  publicOrigin: string | null;
  /** Time limits of domain.md; each can be changed by an environment variable. */
  sla: SlaLimits;
  /** Batches the deadline sweep runs at once on PostgreSQL (each holds one connection while it runs). */
  slaSweepConcurrency: number;
  /** Outgoing mail (smtp://host:port or smtps://user:pass@host:465); null turns email off. */
  smtpUrl: string | null;
  /** The From address, e.g. "LAPOR! <noreply@lapor.go.id>"; required with SMTP_URL. */
  smtpFrom: string | null;
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  logLevel: string;
  /** SMS (issue 11): Kannel's smsbox sendsms address (http://127.0.0.1:13013/cgi-bin/sendsms); null turns SMS off. */
  kannelSendsmsUrl: string | null;
  kannelUsername: string | null;
  kannelPassword: string | null;
  /** The sender of outgoing SMS: the short code citizens write to. */
  smsShortCode: string;
  /**
   * The shared secret Kannel's get-url and dlr-url carry as `key=`. Without it, the SMS endpoints
   * answer only requests from this machine (Kannel on the same host).
   */
  kannelIncomingKey: string | null;
  /** Where Kannel reaches lapor with delivery reports; by default this server on 127.0.0.1. */
  kannelDlrUrl: string;
  /** The report form's optional map: its tiles, and the credit they require; null: no map, the plain fields only. */
  map: MapConfig | null;
  /**
   * Local apps' webhooks may point at private, loopback and link-local addresses (tests, a lab).
   * Off in production: a webhook URL must not reach the server's own network (SSRF).
   */
  webhookAllowPrivate: boolean;
}

export interface MapConfig {
  /** A tile URL template on one fixed origin, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png. */
  tileUrl: string;
  /** Its origin (https://tile.openstreetmap.org): the one origin the form's Content-Security-Policy adds to img-src. */
  tileOrigin: string;
  /** The credit shown on the map, as text (e.g. "© OpenStreetMap contributors"). */
  attribution: string;
  /** Where the credit links to, if anywhere. */
  attributionUrl: string | null;
}

/** The placeholders a tile URL may hold: Leaflet's, without {s}, since the tiles must come from one origin. */
const TILE_PLACEHOLDERS = new Set(['z', 'x', 'y', '-y', 'r']);

/**
 * MAP_TILE_URL, MAP_ATTRIBUTION and MAP_ATTRIBUTION_URL checked together. The tile URL must be
 * http(s) on one fixed host (no {s} subdomains: the Content-Security-Policy allows exactly one
 * origin), carry {z}, {x} and {y}, and hold no credentials; tile providers require their credit.
 */
export function readMapConfig(env: NodeJS.ProcessEnv, problems: string[]): MapConfig | null {
  const tileUrl = env.MAP_TILE_URL?.trim() || null;
  const attribution = env.MAP_ATTRIBUTION?.trim() || null;
  const attributionUrl = env.MAP_ATTRIBUTION_URL?.trim() || null;
  if (!tileUrl) {
    if (attribution || attributionUrl) problems.push('MAP_ATTRIBUTION and MAP_ATTRIBUTION_URL need MAP_TILE_URL');
    return null;
  }
  const before = problems.length;
  const example = 'e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png';
  const placeholders = [...tileUrl.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!);
  const unknown = placeholders.filter((p) => !TILE_PLACEHOLDERS.has(p));
  if (unknown.length > 0) {
    problems.push(
      `MAP_TILE_URL may only use {z}, {x}, {y}, {-y} and {r}, got ${unknown.map((p) => `{${p}}`).join(', ')}` +
        (unknown.includes('s') ? ' (name one host: the page allows images from exactly one tile origin)' : ''),
    );
  }
  if (!['z', 'x', 'y'].every((p) => placeholders.includes(p) || (p === 'y' && placeholders.includes('-y')))) {
    problems.push(`MAP_TILE_URL must contain {z}, {x} and {y}, ${example}`);
  }
  let url: URL | null = null;
  try {
    url = new URL(tileUrl.replace(/\{[^{}]*\}/g, '0'));
  } catch {
    problems.push(`MAP_TILE_URL must be an absolute http(s) URL, ${example}`);
  }
  if (url) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') problems.push(`MAP_TILE_URL must be http(s), ${example}`);
    if (url.username || url.password) problems.push('MAP_TILE_URL must not carry a user name or password (every visitor would see it)');
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*[{}]/i.test(tileUrl))
      problems.push('MAP_TILE_URL must name one fixed host, with no placeholder in it');
  }
  if (!attribution)
    problems.push(
      'MAP_ATTRIBUTION is required with MAP_TILE_URL: tile providers require their credit (e.g. "© OpenStreetMap contributors")',
    );
  else if (attribution.length > 300) problems.push('MAP_ATTRIBUTION must be at most 300 characters');
  if (attributionUrl) {
    let protocol = '';
    try {
      protocol = new URL(attributionUrl).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'https:' && protocol !== 'http:') problems.push('MAP_ATTRIBUTION_URL must be an absolute http(s) URL');
  }
  if (problems.length > before || !url || !attribution) return null;
  return { tileUrl, tileOrigin: url.origin, attribution, attributionUrl };
}

/** Deadline-sweep batches run at once on PostgreSQL, by default. */
export const DEFAULT_SWEEP_CONCURRENCY = 2;
/**
 * The most batches one sweep may run at once: each holds a connection of the pool (ten, src/db/db.ts)
 * for the whole batch, and the API and the worker in the same process need some of them too.
 */
export const MAX_SWEEP_CONCURRENCY = 8;

export interface EmailConfig {
  /** smtp://host:port or smtps://user:pass@host:port; null: email delivery is switched off. */
  smtpUrl: string | null;
  /** The From header, e.g. "LAPOR! <noreply@lapor.go.id>"; required with smtpUrl. */
  smtpFrom: string | null;
}

/** The domain of a From address ("LAPOR! <noreply@lapor.go.id>" → lapor.go.id). */
export function emailDomainOf(from: string): string | null {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from.trim());
  return match ? match[1]!.toLowerCase() : null;
}

/** Checks SMTP_URL and SMTP_FROM; returns the problems, for loadConfig to report with the rest. */
export function checkEmailConfig(config: EmailConfig): string[] {
  const problems: string[] = [];
  if (config.smtpUrl) {
    let protocol = '';
    try {
      protocol = new URL(config.smtpUrl).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'smtp:' && protocol !== 'smtps:') {
      problems.push('SMTP_URL must look like smtp://host:port or smtps://user:pass@host:port');
    }
    if (!config.smtpFrom) problems.push('SMTP_FROM is required when SMTP_URL is set (e.g. "LAPOR! <noreply@lapor.go.id>")');
  }
  if (config.smtpFrom && !emailDomainOf(config.smtpFrom)) {
    problems.push('SMTP_FROM must contain an email address, e.g. "LAPOR! <noreply@lapor.go.id>"');
  }
  return problems;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}

function readInt(env: NodeJS.ProcessEnv, name: string, fallback: number, problems: string[], min = 1, max = Infinity): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer ${max === Infinity ? `≥ ${min}` : `from ${min} to ${max}`}, got "${raw}"`);
    return fallback;
  }
  return value;
}

/** The default listening address: this machine only. A server reachable from outside says so with HOST. */
export const DEFAULT_HOST = '127.0.0.1';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** Whether a listening address reaches this machine only: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  const family = isIP(h);
  return family !== 0 && LOOPBACK.check(h, family === 4 ? 'ipv4' : 'ipv6');
}

function readBool(env: NodeJS.ProcessEnv, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  problems.push(`${name} must be true or false, got "${raw}"`);
  return fallback;
}

function readSla(env: NodeJS.ProcessEnv, problems: string[]): SlaLimits {
  const d = DEFAULT_SLA_LIMITS;
  const int = (name: string, fallback: number) => readInt(env, name, fallback, problems, 0);
  return {
    verificationWorkingDays: int('SLA_VERIFICATION_WORKING_DAYS', d.verificationWorkingDays),
    firstFollowUpWorkingDays: int('SLA_FIRST_FOLLOW_UP_WORKING_DAYS', d.firstFollowUpWorkingDays),
    resolution: {
      5: { days: int('SLA_RESOLUTION_5_WORKING_DAYS', d.resolution[5].days), unit: 'working' },
      14: { days: int('SLA_RESOLUTION_14_WORKING_DAYS', d.resolution[14].days), unit: 'working' },
      60: { days: int('SLA_RESOLUTION_60_CALENDAR_DAYS', d.resolution[60].days), unit: 'calendar' },
    },
    replyWindowWorkingDays: int('SLA_REPLY_WINDOW_WORKING_DAYS', d.replyWindowWorkingDays),
    completionWorkingDays: int('SLA_COMPLETION_WORKING_DAYS', d.completionWorkingDays),
    ombudsmanCalendarDays: int('SLA_OMBUDSMAN_CALENDAR_DAYS', d.ombudsmanCalendarDays),
    reminderLeadHours: int('SLA_REMINDER_LEAD_HOURS', d.reminderLeadHours),
  };
}

/** Reads and checks the whole environment once; every problem is reported together. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(`DATABASE_URL must start with postgres:// or postgresql://`);
  }
  const dataDir = path.resolve(env.DATA_DIR?.trim() || 'data');
  const config: Config = {
    port: readInt(env, 'PORT', 3000, problems, 0),
    host: env.HOST?.trim() || DEFAULT_HOST,
    dataDir,
    databaseUrl,
    attachmentsDir: path.resolve(env.ATTACHMENTS_DIR?.trim() || path.join(dataDir, 'attachments')),
    demo: readBool(env, 'DEMO', databaseUrl === null, problems),
    maxAttachmentBytes: readInt(env, 'MAX_ATTACHMENT_BYTES', 10 * 1024 * 1024, problems),
    maxAttachments: readInt(env, 'MAX_ATTACHMENTS', 5, problems),
    cookieSecure: readBool(env, 'COOKIE_SECURE', true, problems),
    sessionTtlHours: readInt(env, 'SESSION_TTL_HOURS', 24 * 14, problems),
    loginMaxAttempts: readInt(env, 'LOGIN_MAX_ATTEMPTS', 10, problems),
    loginMaxAttemptsPerAddress: readInt(env, 'LOGIN_MAX_ATTEMPTS_PER_ADDRESS', 100, problems),
    loginWindowSeconds: readInt(env, 'LOGIN_WINDOW_SECONDS', 15 * 60, problems),
    loginFreeAttempts: readInt(env, 'LOGIN_FREE_ATTEMPTS', 5, problems),
    loginDelayMaxSeconds: readInt(env, 'LOGIN_DELAY_MAX_SECONDS', 15 * 60, problems),
    signInCodeTtlSeconds: readInt(env, 'SIGN_IN_CODE_TTL_SECONDS', 10 * 60, problems, 60),
    signInCodeMaxAttempts: readInt(env, 'SIGN_IN_CODE_MAX_ATTEMPTS', 5, problems),
    accountMailMaxPerWindow: readInt(env, 'ACCOUNT_MAIL_MAX_PER_WINDOW', 5, problems),
    passwordResetTtlSeconds: readInt(env, 'PASSWORD_RESET_TTL_SECONDS', 60 * 60, problems, 300),
    staffInviteTtlSeconds: readInt(env, 'STAFF_INVITE_TTL_SECONDS', 72 * 60 * 60, problems, 300),
    registerMaxPerAddress: readInt(env, 'REGISTER_MAX_PER_ADDRESS', 20, problems),
    registerWindowSeconds: readInt(env, 'REGISTER_WINDOW_SECONDS', 60 * 60, problems),
    trustProxy: readBool(env, 'TRUST_PROXY', false, problems),
    publicOrigin: null,
    sla: readSla(env, problems),
    slaSweepConcurrency: readInt(env, 'SLA_SWEEP_CONCURRENCY', DEFAULT_SWEEP_CONCURRENCY, problems, 1, MAX_SWEEP_CONCURRENCY),
    smtpUrl: env.SMTP_URL?.trim() || null,
    smtpFrom: env.SMTP_FROM?.trim() || null,
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    kannelSendsmsUrl: env.KANNEL_SENDSMS_URL?.trim() || null,
    kannelUsername: env.KANNEL_USERNAME?.trim() || null,
    kannelPassword: env.KANNEL_PASSWORD ?? null,
    smsShortCode: env.SMS_SHORT_CODE?.trim() || '1708',
    kannelIncomingKey: env.KANNEL_INCOMING_KEY?.trim() || null,
    kannelDlrUrl: '',
    map: readMapConfig(env, problems),
    webhookAllowPrivate: readBool(env, 'WEBHOOK_ALLOW_PRIVATE', false, problems),
  };
  config.kannelDlrUrl = env.KANNEL_DLR_URL?.trim() || `http://127.0.0.1:${config.port}/channels/kannel/dlr`;
  for (const [name, value] of [
    ['KANNEL_SENDSMS_URL', config.kannelSendsmsUrl],
    ['KANNEL_DLR_URL', config.kannelDlrUrl],
  ] as const) {
    if (value && !/^https?:\/\/[^/]+/.test(value)) problems.push(`${name} must be an http:// or https:// URL, got "${value}"`);
  }
  if (config.kannelSendsmsUrl && !config.kannelUsername)
    problems.push('KANNEL_USERNAME is required with KANNEL_SENDSMS_URL (a sendsms-user of the Kannel configuration)');
  if (!/^\+?[0-9A-Za-z]{2,15}$/.test(config.smsShortCode))
    problems.push(`SMS_SHORT_CODE must be 2 to 15 digits or letters, got "${config.smsShortCode}"`);
  if (!LOG_LEVELS.includes(config.logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${config.logLevel}"`);
  problems.push(...checkEmailConfig(config));
  const publicUrl = env.PUBLIC_URL?.trim();
  if (publicUrl) {
    try {
      config.publicOrigin = new URL(publicUrl).origin;
    } catch {
      problems.push(`PUBLIC_URL must be an absolute URL, got "${publicUrl}"`);
    }
  }
  if (config.port > 65535) problems.push(`PORT must be ≤ 65535`);
  if (config.loginMaxAttemptsPerAddress < config.loginMaxAttempts) {
    problems.push('LOGIN_MAX_ATTEMPTS_PER_ADDRESS must be ≥ LOGIN_MAX_ATTEMPTS (an address may try at least one account fully)');
  }
  if (config.signInCodeMaxAttempts > 10) problems.push('SIGN_IN_CODE_MAX_ATTEMPTS must be ≤ 10 (six digits, one code)');
  // Demo mode prints its accounts' passwords at start: never on an address others can reach.
  if (config.demo && !isLoopbackHost(config.host)) {
    problems.push(
      `DEMO is on${env.DEMO ? '' : ' (the default without DATABASE_URL)'} and HOST is "${config.host}", an address other machines can reach: ` +
        `demo accounts have published passwords. Set DEMO=false, or a loopback HOST (127.0.0.1, ::1 or localhost)`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

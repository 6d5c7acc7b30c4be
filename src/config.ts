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
  /** Email into lapor: an SMTP server for mail to one address; null: off. */
  inboundEmail: InboundEmailConfig | null;
  /**
   * Gammu SMSD's own PostgreSQL database (issue 11 §3): lapor reads its `inbox`, writes its `outbox`
   * and reads back `sentitems`. Null turns Gammu off.
   */
  gammuDatabaseUrl: string | null;
  /** The gateway SMS go through: SMS_GATEWAY, else the one configured. Null: SMS is off. */
  smsGateway: SmsGateway | null;
  /** The report form's optional map: its tiles, and the credit they require; null: no map, the plain fields only. */
  map: MapConfig | null;
  /** Open311 GeoReport v2: the apps that may post service requests (OPEN311_API_KEYS); none: POST is refused. */
  open311ApiKeys: Open311ApiKey[];
  /** X (Account Activity API webhooks, replies through API v2); null: X is off. */
  x: XConfig | null;
  /** WhatsApp Business Cloud API; null: WhatsApp is off. */
  whatsapp: WhatsAppConfig | null;
  /** A Telegram bot; null: Telegram is off. */
  telegram: TelegramConfig | null;
  /**
   * Local apps' webhooks may point at private, loopback and link-local addresses (tests, a lab).
   * Off in production: a webhook URL must not reach the server's own network (SSRF).
   */
  webhookAllowPrivate: boolean;
}

/** One app's Open311 key: its name (the intake's gateway), the secret it sends as api_key, and the body it belongs to. */
export interface Open311ApiKey {
  name: string;
  secret: string;
  /** The body whose app this is: the reports it posts are suggested to that body. Null: a national app. */
  bodyCode: string | null;
}

/**
 * OPEN311_API_KEYS: entries `name:secret[:body code]`, separated by commas or white space, e.g.
 * `gencil:7c1f…e2:pemkot-61.71, metrokita:a9…:pemkot-18.72`. A name is lower-case letters, digits
 * and hyphens; a secret at least 24 characters of letters, digits and `-._~`; no two alike.
 * Whether each body exists is checked against the database at start (open311.service.ts).
 */
export function readOpen311Keys(env: NodeJS.ProcessEnv, problems: string[]): Open311ApiKey[] {
  const raw = env.OPEN311_API_KEYS?.trim();
  if (!raw) return [];
  const keys: Open311ApiKey[] = [];
  const entries = raw.split(/[\s,]+/).filter(Boolean);
  for (const [i, entry] of entries.entries()) {
    const [name = '', secret = '', bodyCode, ...rest] = entry.split(':');
    const where = `OPEN311_API_KEYS entry ${i + 1}${/^[a-z0-9-]{1,40}$/.test(name) ? ` ("${name}")` : ''}`;
    if (rest.length > 0 || !/^[a-z0-9][a-z0-9-]{0,39}$/.test(name)) {
      problems.push(`${where} must look like name:secret[:body code], the name lower-case letters, digits and hyphens`);
      continue;
    }
    if (!/^[A-Za-z0-9._~-]{24,200}$/.test(secret)) {
      problems.push(`${where}: the secret must be 24 to 200 letters, digits or -._~ (e.g. openssl rand -hex 24)`);
      continue;
    }
    if (bodyCode !== undefined && !/^[a-z0-9][a-z0-9./-]{0,99}$/.test(bodyCode)) {
      problems.push(`${where}: "${bodyCode}" is not a body code (e.g. pemkot-61.71)`);
      continue;
    }
    if (keys.some((k) => k.name === name)) problems.push(`${where}: the name "${name}" is used twice`);
    else if (keys.some((k) => k.secret === secret)) problems.push(`${where}: its secret is another entry's`);
    else keys.push({ name, secret, bodyCode: bodyCode ?? null });
  }
  return keys;
}

export const SMS_GATEWAYS = ['kannel', 'gammu'] as const;
export type SmsGateway = (typeof SMS_GATEWAYS)[number];

/**
 * SMS_GATEWAY checked against what is configured: the one named must be configured; unnamed, the
 * one configured is used, and two configured need a choice.
 */
export function readSmsGateway(
  env: NodeJS.ProcessEnv,
  configured: { kannel: boolean; gammu: boolean },
  problems: string[],
): SmsGateway | null {
  const named = env.SMS_GATEWAY?.trim().toLowerCase() || null;
  if (named) {
    if (!(SMS_GATEWAYS as readonly string[]).includes(named)) {
      problems.push(`SMS_GATEWAY must be kannel or gammu, got "${env.SMS_GATEWAY}"`);
      return null;
    }
    const gateway = named as SmsGateway;
    if (!configured[gateway]) {
      problems.push(gateway === 'kannel' ? 'SMS_GATEWAY=kannel needs KANNEL_SENDSMS_URL' : 'SMS_GATEWAY=gammu needs GAMMU_DATABASE_URL');
      return null;
    }
    return gateway;
  }
  if (configured.kannel && configured.gammu) {
    problems.push(
      'KANNEL_SENDSMS_URL and GAMMU_DATABASE_URL are both set: choose the SMS gateway with SMS_GATEWAY=kannel or SMS_GATEWAY=gammu',
    );
    return null;
  }
  return configured.kannel ? 'kannel' : configured.gammu ? 'gammu' : null;
}

export interface XConfig {
  /** The app's consumer secret (API secret key): the key of the CRC answer and of every webhook signature. */
  consumerSecret: string;
  /** The national account's numeric user id: a tweet that mentions it with #lapor is a report. */
  accountId: string;
  /** Its screen name without the @, when known; the mention is found by id either way. */
  screenName: string | null;
  /** The API's origin (https://api.x.com); tests point it at a local server. */
  apiUrl: string;
  /** A user-context access token of the national account (OAuth 2.0, tweet.write), for the reply tweets. */
  bearerToken: string;
}

export interface WhatsAppConfig {
  /** The Meta app's secret: X-Hub-Signature-256 is the HMAC-SHA256 of each webhook's body with it. */
  appSecret: string;
  /** The token typed into the webhook's settings, echoed back by the GET verification. */
  verifyToken: string;
  /** A system user's access token, for sending and for downloading media. */
  token: string;
  /** The business phone number's id: messages go out through /{id}/messages. */
  phoneNumberId: string;
  /** The Graph API with its version (https://graph.facebook.com/v23.0); tests point it at a local server. */
  apiUrl: string;
}

export interface TelegramConfig {
  /** The token @BotFather gave: it names the bot in every Bot API address. */
  botToken: string;
  /** The secret_token given to setWebhook, sent back in X-Telegram-Bot-Api-Secret-Token. */
  secretToken: string;
  /** The Bot API's origin (https://api.telegram.org); tests point it at a local server. */
  apiUrl: string;
}

const env1 = (env: NodeJS.ProcessEnv, name: string) => env[name]?.trim() || null;

function readApiUrl(env: NodeJS.ProcessEnv, name: string, fallback: string, problems: string[]): string {
  const value = env1(env, name) ?? fallback;
  if (!/^https?:\/\/[^/]+/.test(value)) problems.push(`${name} must be an http:// or https:// URL, got "${value}"`);
  return value.replace(/\/+$/, '');
}

/** Names every variable a platform needs that is missing, once any of its variables is set. */
function requireAll(platform: string, values: Record<string, string | null>, problems: string[]): boolean {
  const set = Object.values(values).some((v) => v !== null);
  if (!set) return false;
  const missing = Object.entries(values)
    .filter(([, v]) => v === null)
    .map(([k]) => k);
  if (missing.length > 0)
    problems.push(`${platform} needs ${missing.join(', ')} as well (set all of ${Object.keys(values).join(', ')}, or none)`);
  return missing.length === 0;
}

/** X, WhatsApp and Telegram: each is on when all of its variables are set, and off when none is. */
export function readChatConfig(env: NodeJS.ProcessEnv, problems: string[]): Pick<Config, 'x' | 'whatsapp' | 'telegram'> {
  const x = {
    X_CONSUMER_SECRET: env1(env, 'X_CONSUMER_SECRET'),
    X_ACCOUNT_ID: env1(env, 'X_ACCOUNT_ID'),
    X_BEARER_TOKEN: env1(env, 'X_BEARER_TOKEN'),
  };
  const xApi = readApiUrl(env, 'X_API_URL', 'https://api.x.com', problems);
  if (x.X_ACCOUNT_ID && !/^\d{1,20}$/.test(x.X_ACCOUNT_ID))
    problems.push(`X_ACCOUNT_ID must be the account's numeric user id, got "${x.X_ACCOUNT_ID}"`);
  const screenName = env1(env, 'X_SCREEN_NAME')?.replace(/^@/, '') ?? null;
  if (screenName && !/^\w{1,15}$/.test(screenName))
    problems.push(`X_SCREEN_NAME must be 1 to 15 letters, digits or _, got "${screenName}"`);
  const wa = {
    WHATSAPP_APP_SECRET: env1(env, 'WHATSAPP_APP_SECRET'),
    WHATSAPP_VERIFY_TOKEN: env1(env, 'WHATSAPP_VERIFY_TOKEN'),
    WHATSAPP_TOKEN: env1(env, 'WHATSAPP_TOKEN'),
    WHATSAPP_PHONE_NUMBER_ID: env1(env, 'WHATSAPP_PHONE_NUMBER_ID'),
  };
  const waApi = readApiUrl(env, 'WHATSAPP_API_URL', 'https://graph.facebook.com/v23.0', problems);
  if (wa.WHATSAPP_PHONE_NUMBER_ID && !/^\d{1,30}$/.test(wa.WHATSAPP_PHONE_NUMBER_ID))
    problems.push(`WHATSAPP_PHONE_NUMBER_ID must be the phone number's numeric id, got "${wa.WHATSAPP_PHONE_NUMBER_ID}"`);
  const tg = { TELEGRAM_BOT_TOKEN: env1(env, 'TELEGRAM_BOT_TOKEN'), TELEGRAM_SECRET_TOKEN: env1(env, 'TELEGRAM_SECRET_TOKEN') };
  const tgApi = readApiUrl(env, 'TELEGRAM_API_URL', 'https://api.telegram.org', problems);
  if (tg.TELEGRAM_BOT_TOKEN && !/^\d+:[\w-]+$/.test(tg.TELEGRAM_BOT_TOKEN))
    problems.push('TELEGRAM_BOT_TOKEN must look like the token @BotFather gives (123456:ABC-…)');
  // Telegram's own rule for setWebhook's secret_token
  if (tg.TELEGRAM_SECRET_TOKEN && !/^[A-Za-z0-9_-]{1,256}$/.test(tg.TELEGRAM_SECRET_TOKEN))
    problems.push('TELEGRAM_SECRET_TOKEN must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -');
  const before = problems.length;
  const xOn = requireAll('X', x, problems);
  const waOn = requireAll('WhatsApp', wa, problems);
  const tgOn = requireAll('Telegram', tg, problems);
  if (problems.length > before) return { x: null, whatsapp: null, telegram: null };
  return {
    x: xOn
      ? { consumerSecret: x.X_CONSUMER_SECRET!, accountId: x.X_ACCOUNT_ID!, screenName, apiUrl: xApi, bearerToken: x.X_BEARER_TOKEN! }
      : null,
    whatsapp: waOn
      ? {
          appSecret: wa.WHATSAPP_APP_SECRET!,
          verifyToken: wa.WHATSAPP_VERIFY_TOKEN!,
          token: wa.WHATSAPP_TOKEN!,
          phoneNumberId: wa.WHATSAPP_PHONE_NUMBER_ID!,
          apiUrl: waApi,
        }
      : null,
    telegram: tgOn ? { botToken: tg.TELEGRAM_BOT_TOKEN!, secretToken: tg.TELEGRAM_SECRET_TOKEN!, apiUrl: tgApi } : null,
  };
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

export interface InboundEmailConfig {
  host: string;
  port: number;
  /** The one address it takes mail for, e.g. lapor@lapor.go.id. */
  address: string;
  /** The name it greets with (the address's domain). */
  hostname: string;
  maxBytes: number;
}

function readInboundEmail(env: NodeJS.ProcessEnv, problems: string[]): InboundEmailConfig | null {
  const portText = env.INBOUND_SMTP_PORT?.trim();
  if (!portText) return null;
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`INBOUND_SMTP_PORT must be a port number, got "${portText}"`);
  const address = env.INBOUND_EMAIL_ADDRESS?.trim() ?? '';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address))
    problems.push('INBOUND_EMAIL_ADDRESS (e.g. lapor@lapor.go.id) is required with INBOUND_SMTP_PORT');
  const maxBytes = Number(env.INBOUND_SMTP_MAX_BYTES?.trim() || 25 * 1024 * 1024);
  if (!Number.isInteger(maxBytes) || maxBytes < 1024)
    problems.push('INBOUND_SMTP_MAX_BYTES must be a whole number of bytes, at least 1024');
  return { host: env.INBOUND_SMTP_HOST?.trim() || '127.0.0.1', port, address, hostname: address.split('@')[1] ?? 'localhost', maxBytes };
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
    inboundEmail: readInboundEmail(env, problems),
    gammuDatabaseUrl: env.GAMMU_DATABASE_URL?.trim() || null,
    smsGateway: null,
    map: readMapConfig(env, problems),
    open311ApiKeys: readOpen311Keys(env, problems),
    ...readChatConfig(env, problems),
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
  if (config.gammuDatabaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(config.gammuDatabaseUrl))
      problems.push('GAMMU_DATABASE_URL must start with postgres:// or postgresql://');
    // Gammu's tables (outbox among them) and lapor's cannot share a schema.
    else if (config.gammuDatabaseUrl === config.databaseUrl)
      problems.push("GAMMU_DATABASE_URL must name Gammu SMSD's own database, not lapor's (DATABASE_URL)");
  }
  config.smsGateway = readSmsGateway(env, { kannel: config.kannelSendsmsUrl !== null, gammu: config.gammuDatabaseUrl !== null }, problems);
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

import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { FormFields } from '../../domain/open311.ts';
import { parseRequestFilters } from '../../domain/open311.ts';
import { AppError, invalidInput } from '../../errors.ts';
import { ERROR_STATUS, findNulFields } from '../../http/errors.ts';
import type { App, AppDeps, AppEnv } from '../../http/context.ts';
import { cleanJson } from '../../http/sanitize.ts';
import * as service from './open311.service.ts';
import { type XmlValue, toXml } from './xml.ts';

/**
 * Open311 GeoReport v2 over HTTP (docs/integration.md, "Open311 GeoReport v2"):
 *
 *   GET  /open311/v2/discovery.{json|xml}
 *   GET  /open311/v2/services.{format}                  our national categories
 *   GET  /open311/v2/services/{service_code}.{format}   the attributes every service takes
 *   POST /open311/v2/requests.{format}                  a form with api_key: a report
 *   GET  /open311/v2/requests.{format}                  public reports, with the spec's filters
 *   GET  /open311/v2/requests/{service_request_id}.{format}
 *   GET  /open311/v2/tokens/{token}.{format}
 *
 * The format is the address's extension; every answer is UTF-8, and every error the spec's list
 * of `{code, description}` with its HTTP status: 400 for input, 403 for the key, 404 for what
 * does not exist, never a 500 for what a client sent.
 */

export const OPEN311_BASE = '/open311/v2';
/** A POST form carries at most a 4,000-character description and a few short fields. */
export const OPEN311_BODY_LIMIT = 64 * 1024;

type Format = 'json' | 'xml';

export const isOpen311Path = (path: string): boolean => path === '/open311' || path.startsWith('/open311/');

const formatOfPath = (path: string): Format => (path.endsWith('.xml') ? 'xml' : 'json');

/** `services.json` → services, json; null when the extension is not a format we speak. */
function splitFile(file: string): { name: string; format: Format } | null {
  const match = /^(.+)\.(json|xml)$/.exec(file);
  return match ? { name: match[1]!, format: match[2] as Format } : null;
}

function reply(c: Context<AppEnv>, format: Format, root: string, value: XmlValue, status: ContentfulStatusCode = 200) {
  return format === 'xml'
    ? c.body(toXml(root, value), status, { 'content-type': 'text/xml; charset=utf-8' })
    : c.body(JSON.stringify(value), status, { 'content-type': 'application/json; charset=utf-8' });
}

const STATUS_OF_HTTP_ERROR = (status: number): ContentfulStatusCode => (status === 413 ? 413 : status >= 500 ? 500 : 400);

/**
 * Any error as the spec's error list, in the address's format. A key's problems are 403 (the
 * spec's), bad input 400 with one error per field, what does not exist 404; only a fault of ours
 * is a 500, logged with the request's ID.
 */
export function open311Error(c: Context<AppEnv>, err: unknown): Response {
  const format = formatOfPath(c.req.path);
  let status: ContentfulStatusCode;
  let errors: { code: number; description: string }[];
  if (err instanceof AppError) {
    const mapped = ERROR_STATUS[err.code];
    status = mapped === 401 ? 403 : mapped === 409 || mapped === 415 || mapped === 422 ? 400 : mapped;
    const fields = err.fields ? Object.values(err.fields) : [];
    errors = (fields.length > 0 ? fields : [err.message]).map((description) => ({ code: status, description }));
    if (err.retryAfterSeconds !== undefined) c.header('Retry-After', String(err.retryAfterSeconds));
  } else if (err instanceof HTTPException) {
    status = STATUS_OF_HTTP_ERROR(err.status);
    errors = [
      {
        code: status,
        description: status === 413 ? 'Permintaan terlalu besar / Request too large' : 'Permintaan tidak terbaca / Malformed request',
      },
    ];
  } else if (typeof (err as { code?: unknown })?.code === 'string' && /^22[0-9A-Z]{3}$/.test((err as { code: string }).code)) {
    // a PostgreSQL data exception is the client's input all the same; its own words never leave
    status = 400;
    errors = [{ code: 400, description: 'Nilai tidak dapat disimpan / A value cannot be stored' }];
  } else {
    const e = err as Error;
    c.get('log')?.error({ err: { type: e?.name, message: e?.message, stack: e?.stack } }, 'open311 request failed');
    status = 500;
    errors = [{ code: 500, description: `Kesalahan server / Server error (${c.get('requestId') ?? 'no request id'})` }];
  }
  return reply(c, format, 'errors', errors, status);
}

const notFound = () =>
  new AppError('not_found', 'Tidak ditemukan di API Open311 ini / Not found in this Open311 API; see /open311/v2/discovery.json');

/** Every query parameter, a repeated one joined by commas (the spec allows both ways). */
function queryOf(c: Context<AppEnv>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, values] of Object.entries(c.req.queries())) out[name] = values.join(',');
  return out;
}

/** The POST form's text fields, cleaned like every other input (sanitize.ts); files are not taken. */
async function formOf(c: Context<AppEnv>): Promise<FormFields> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data') {
    throw new AppError(
      'unsupported_media_type',
      'Kirim formulir (application/x-www-form-urlencoded) / Send a form (application/x-www-form-urlencoded), as the spec says',
    );
  }
  let body: Record<string, string | File | (string | File)[]>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch {
    throw invalidInput({ _: 'Formulir tidak terbaca / The form cannot be read' });
  }
  const fields: FormFields = {};
  for (const [name, value] of Object.entries(body)) {
    const texts = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    if (texts.length === 0) continue;
    Object.defineProperty(fields, name, {
      value: texts.length === 1 ? texts[0]! : texts,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const problems: Record<string, string> = {};
  const cleaned = cleanJson(fields, problems) as FormFields;
  const nul = findNulFields(cleaned);
  if (Object.keys(problems).length > 0 || Object.keys(nul).length > 0) {
    throw invalidInput(Object.fromEntries(Object.entries({ ...nul, ...problems }).map(([k, v]) => [k, `${k}: ${v}`])));
  }
  return cleaned;
}

export function registerOpen311Routes(app: App, deps: AppDeps): void {
  const originOf = (c: Context<AppEnv>) => deps.config.publicOrigin ?? new URL(c.req.url).origin;
  const guarded =
    (handler: (c: Context<AppEnv>) => Promise<Response>) =>
    async (c: Context<AppEnv>): Promise<Response> => {
      try {
        return await handler(c);
      } catch (err) {
        return open311Error(c, err);
      }
    };
  const fileOf = (c: Context<AppEnv>) => {
    const file = splitFile(c.req.param('file') ?? '');
    if (!file) throw notFound();
    return file;
  };

  app.use(
    '/open311/*',
    bodyLimit({
      maxSize: OPEN311_BODY_LIMIT,
      onError: (c) => open311Error(c as Context<AppEnv>, new AppError('payload_too_large', 'Permintaan terlalu besar / Request too large')),
    }),
  );

  app.get(
    `${OPEN311_BASE}/:file`,
    guarded(async (c) => {
      const { name, format } = fileOf(c);
      if (name === 'discovery') return reply(c, format, 'discovery', service.discovery(originOf(c)));
      if (name === 'services') return reply(c, format, 'services', await service.listServices(deps.db));
      if (name !== 'requests') throw notFound();
      const parsed = parseRequestFilters(queryOf(c), deps.now());
      if (!parsed.filters) throw invalidInput(Object.fromEntries(parsed.errors.map((e) => [e.field, e.message])));
      return reply(c, format, 'service_requests', await service.listServiceRequests(deps, parsed.filters, originOf(c)));
    }),
  );

  app.post(
    `${OPEN311_BASE}/:file`,
    guarded(async (c) => {
      const { name, format } = fileOf(c);
      if (name !== 'requests') throw notFound();
      const fields = await formOf(c);
      const given = typeof fields.api_key === 'string' ? fields.api_key : (c.req.query('api_key') ?? null);
      const key = service.findApiKey(deps.config, given);
      const outcome = await service.postServiceRequest(deps, key, fields);
      c.header('cache-control', 'no-store');
      const notice = service.serviceNotice(deps);
      return reply(c, format, 'service_requests', [
        outcome.serviceRequestId !== undefined
          ? { service_request_id: outcome.serviceRequestId, service_notice: notice }
          : { token: outcome.token, service_notice: notice },
      ]);
    }),
  );

  app.get(
    `${OPEN311_BASE}/services/:file`,
    guarded(async (c) => {
      const { name, format } = fileOf(c);
      return reply(c, format, 'service_definition', await service.getServiceDefinition(deps.db, name));
    }),
  );

  app.get(
    `${OPEN311_BASE}/requests/:file`,
    guarded(async (c) => {
      const { name, format } = fileOf(c);
      return reply(c, format, 'service_requests', [await service.getServiceRequest(deps, name, originOf(c))]);
    }),
  );

  app.get(
    `${OPEN311_BASE}/tokens/:file`,
    guarded(async (c) => {
      const { name, format } = fileOf(c);
      c.header('cache-control', 'no-store');
      return reply(c, format, 'service_requests', [await service.tokenStatus(deps.db, name)]);
    }),
  );

  // Anything else under /open311 — another path, another method — is the spec's 404.
  app.all('/open311', (c) => open311Error(c, notFound()));
  app.all('/open311/*', (c) => open311Error(c, notFound()));
}

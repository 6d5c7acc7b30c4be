import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { AppError, invalidInput } from '../errors.ts';
import type { AppEnv } from './context.ts';
import { cleanForm, cleanJson } from './sanitize.ts';

/**
 * One rule for request bodies on every API route. A route takes the media types its OpenAPI
 * definition declares (JSON; multipart where it takes files; CSV where it imports a file) and
 * nothing else (415). Each has a size limit: a few kilobytes for JSON, more for the routes that
 * carry long text (`'x-body-limit': 'text'` on the route), megabytes only for uploads (413,
 * refused from the Content-Length header before a byte is read). The body is then read once,
 * its text cleaned (sanitize.ts), and kept for the validators, the handler and the idempotency
 * check.
 */

export type JsonTier = 'small' | 'text';
export interface BodyLimits {
  small: number;
  text: number;
  upload: number;
}

export type ParsedBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'form'; value: FormData }
  | { kind: 'raw'; value: Uint8Array; mediaType: string };

interface RoutePolicy {
  mediaTypes: string[];
  jsonTier: JsonTier;
}

/** No request of this API nests deeper than a few levels; a deeper one is refused before anything walks it. */
export const MAX_JSON_DEPTH = 32;

/** The nesting depth of a parsed JSON value, walked without recursion (so that depth itself cannot overflow the stack). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

const UPLOAD_TYPES = new Set(['multipart/form-data', 'text/csv']);
const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS']);

function policiesOf(app: OpenAPIHono<AppEnv>): Map<string, RoutePolicy> {
  const map = new Map<string, RoutePolicy>();
  for (const def of app.openAPIRegistry.definitions) {
    if (def.type !== 'route') continue;
    const route = def.route as unknown as {
      method: string;
      path: string;
      request?: { body?: { content?: Record<string, unknown> } };
      'x-body-limit'?: JsonTier;
    };
    const path = route.path.replaceAll(/\/{(.+?)}/g, '/:$1');
    map.set(`${route.method.toUpperCase()} ${path}`, {
      mediaTypes: Object.keys(route.request?.body?.content ?? {}),
      jsonTier: route['x-body-limit'] ?? 'small',
    });
  }
  return map;
}

function describe(types: string[]): string {
  return types.length > 0 ? types.join(' atau / or ') : 'tanpa isi / no body';
}

export async function readCapped(c: Context, max: number): Promise<Uint8Array> {
  const tooLarge = () =>
    new AppError('payload_too_large', `Permintaan terlalu besar: maksimal ${max} byte / Request too large: at most ${max} bytes`);
  const declared = c.req.header('content-length');
  if (declared !== undefined && Number(declared) > max) throw tooLarge();
  const reader = c.req.raw.body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      reader.releaseLock();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new Uint8Array(await new Blob(chunks as Uint8Array<ArrayBuffer>[]).arrayBuffer());
}

/** Hono keeps promises in its body cache (its types say otherwise); every later read takes this one. */
function cacheBody(c: Context, key: 'text' | 'formData' | 'arrayBuffer', value: unknown): void {
  (c.req.bodyCache as Record<string, unknown>)[key] = Promise.resolve(value);
}

export function requestBody(app: OpenAPIHono<AppEnv>, limits: BodyLimits): MiddlewareHandler<AppEnv> {
  let policies: Map<string, RoutePolicy> | null = null;
  return async (c, next) => {
    c.set('body', null);
    if (BODYLESS.has(c.req.method) || !c.req.raw.body) return next();
    policies ??= policiesOf(app);
    const route = matchedRoutes(c).findLast((r) => r.method === c.req.method);
    const policy = route ? policies.get(`${route.method} ${route.path}`) : undefined;
    // A route that declares no body still tolerates an empty JSON object from a generic client.
    const mediaTypes = policy && policy.mediaTypes.length > 0 ? policy.mediaTypes : ['application/json'];
    const contentType = c.req.header('content-type');
    const mediaType = contentType ? contentType.split(';')[0]!.trim().toLowerCase() : '';
    if (!mediaTypes.includes(mediaType)) {
      const bytes = await readCapped(c, limits.small).catch(() => new Uint8Array(1));
      if (!contentType && bytes.byteLength === 0) return next(); // no body after all
      throw new AppError(
        'unsupported_media_type',
        `Jenis isi ${mediaType || '(tanpa Content-Type)'} tidak diterima di sini; kirim ${describe(policy?.mediaTypes ?? [])} / ` +
          `Content type ${mediaType || '(no Content-Type)'} is not accepted here; send ${describe(policy?.mediaTypes ?? [])}`,
      );
    }
    const max = UPLOAD_TYPES.has(mediaType) ? limits.upload : limits[policy?.jsonTier ?? 'small'];
    const bytes = await readCapped(c, max);
    const problems: Record<string, string> = {};
    let parsed: ParsedBody;
    if (mediaType === 'application/json') {
      let text: string;
      let value: unknown;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        value = JSON.parse(text);
      } catch {
        throw invalidInput(
          { _: 'JSON tidak valid (UTF-8) / Malformed JSON (UTF-8)' },
          'Isi permintaan tidak dapat dibaca / Unreadable request body',
        );
      }
      if (depthOf(value) > MAX_JSON_DEPTH) {
        throw invalidInput({
          _: `JSON bersarang terlalu dalam (maksimal ${MAX_JSON_DEPTH} tingkat) / JSON nested too deeply (at most ${MAX_JSON_DEPTH} levels)`,
        });
      }
      const cleaned = cleanJson(value, problems);
      parsed = { kind: 'json', value: cleaned };
      // The text as sent when cleaning changed nothing, so a parser that names lines still can.
      const serialized = JSON.stringify(cleaned);
      cacheBody(c, 'text', serialized === JSON.stringify(value) ? text : serialized);
    } else if (mediaType === 'multipart/form-data') {
      let form: FormData;
      try {
        form = await new Response(bytes, { headers: { 'content-type': contentType! } }).formData();
      } catch {
        throw invalidInput(
          { _: 'Formulir multipart rusak / Broken multipart form' },
          'Isi permintaan tidak dapat dibaca / Unreadable request body',
        );
      }
      form = cleanForm(form, problems);
      parsed = { kind: 'form', value: form };
      cacheBody(c, 'formData', form);
    } else {
      parsed = { kind: 'raw', value: bytes, mediaType };
      cacheBody(c, 'arrayBuffer', bytes.buffer as ArrayBuffer);
    }
    if (Object.keys(problems).length > 0) throw invalidInput(problems);
    c.set('body', parsed);
    await next();
  };
}

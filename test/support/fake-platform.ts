import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from '../../src/http/app.ts';
import type { App } from '../../src/http/context.ts';
import { createLogger } from '../../src/logger.ts';
import type { TestApp } from './app.ts';

/**
 * A chat platform's API on 127.0.0.1 for the tests (X API v2, the Graph API, the Bot API): it
 * records every request exactly as it came (method, path, headers, body) and answers what the
 * test's handler says, or a 404.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The body as JSON, when it is. */
  json: any;
}

export interface FakeAnswer {
  status?: number;
  json?: unknown;
  body?: Uint8Array | string;
  headers?: Record<string, string>;
}

export interface FakePlatform {
  /** http://127.0.0.1:<port> */
  url: string;
  requests: RecordedRequest[];
  /** Requests from now on: the ones after the last call. */
  take(): RecordedRequest[];
  handle(fn: (req: RecordedRequest) => FakeAnswer | undefined): void;
  close(): Promise<void>;
}

export async function startFakePlatform(initial?: (req: RecordedRequest) => FakeAnswer | undefined): Promise<FakePlatform> {
  let handler = initial ?? (() => undefined);
  const requests: RecordedRequest[] = [];
  let taken = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let json: unknown = null;
      try {
        json = body.length > 0 ? JSON.parse(body.toString('utf8')) : null;
      } catch {
        json = null;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        json,
      };
      requests.push(recorded);
      const out = handler(recorded) ?? { status: 404, json: { error: 'no such route in the fake' } };
      const payload = out.json !== undefined ? JSON.stringify(out.json) : (out.body ?? '');
      res.writeHead(out.status ?? 200, {
        ...(out.json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...out.headers,
      });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    take() {
      const out = requests.slice(taken);
      taken = requests.length;
      return out;
    },
    handle(fn) {
      handler = fn;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/channels');

/** A payload from test/fixtures/channels/<platform>/<name>.json, parsed (each call a fresh copy). */
export function channelFixture(platform: 'x' | 'whatsapp' | 'telegram', name: string): any {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, platform, `${name}.json`), 'utf8'));
}

/** The test app again, with a logger whose lines the test reads (what was logged, not only answered). */
export function withLogLines(t: TestApp): { app: App; lines: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
  const app = createApp({ ...t.deps, logger });
  return { app, lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

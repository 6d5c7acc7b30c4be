import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Config, loadConfig } from '../../src/config.ts';
import type { Role } from '../../src/domain/roles.ts';
import { createStaffUser, openSession, registerReporter } from '../../src/features/accounts/accounts.service.ts';
import { LocalDiskStorage } from '../../src/features/attachments/storage.ts';
import { createApp } from '../../src/http/app.ts';
import type { App, AppDeps, Principal } from '../../src/http/context.ts';
import { createTestDb } from './db.ts';

export interface TestUser {
  principal: Principal;
  token: string;
  email: string;
  name: string;
}

export interface Response<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  /** A raw body, sent as is (for malformed-input tests). */
  raw?: string | Uint8Array;
}

export interface TestApp {
  app: App;
  deps: AppDeps;
  /** The fixed clock every request reads; move it with setNow. */
  setNow(instant: Date | string): void;
  request<T = any>(method: string, url: string, options?: RequestOptions): Promise<Response<T>>;
  /** Creates an account of a role (staff need a body code) with a bearer token. */
  user(role: Role, bodyCode?: string): Promise<TestUser>;
  bodyId(code: string): Promise<number>;
  close(): Promise<void>;
}

let counter = 0;

export async function startTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const { db, close } = await createTestDb();
  const attachmentsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-test-'));
  const config: Config = { ...loadConfig({}), attachmentsDir, demo: false, logLevel: 'silent', ...overrides };
  let now = new Date('2026-11-24T03:00:00Z');
  const deps: AppDeps = { db, config, storage: new LocalDiskStorage(attachmentsDir), now: () => now };
  const app = createApp(deps);

  const bodyId = async (code: string) => {
    const rows = await db.query<{ id: number }>('SELECT id FROM bodies WHERE code = $1', [code]);
    if (!rows[0]) throw new Error(`no body ${code}`);
    return rows[0].id;
  };

  return {
    app,
    deps,
    setNow(instant) {
      now = new Date(instant);
    },
    async request(method, url, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: RequestInit['body'];
      if (options.json !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = JSON.stringify(options.json);
      } else if (options.form) {
        body = options.form;
      } else if (options.raw !== undefined) {
        body = options.raw as RequestInit['body'];
      }
      const res = await app.request(url, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed as any, text, headers: res.headers };
    },
    async user(role, bodyCode) {
      counter += 1;
      const email = `${role}.${counter}.${process.pid}@test.lapor.go.id`;
      const name = `Test ${role} ${counter}`;
      const input = { name, email, password: 'kata-sandi-uji-123' };
      const row =
        role === 'reporter'
          ? await registerReporter(db, input)
          : await createStaffUser(db, 'cli', { ...input, role, bodyId: bodyCode ? await bodyId(bodyCode) : null });
      const { token } = await openSession(db, config, row.id, 'bearer', now);
      return { principal: { userId: row.id, role: row.role, name: row.name, bodyId: row.body_id }, token, email, name };
    },
    bodyId,
    async close() {
      await close();
      fs.rmSync(attachmentsDir, { recursive: true, force: true });
    },
  };
}

/** An error body without its request ID, to compare two answers that must be the same. */
export function withoutRequestId<T>(body: T): T {
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (!error || typeof error !== 'object') return body;
  const { requestId: _id, ...rest } = error;
  return { ...body, error: rest } as T;
}

/** A valid submission; override any field. */
export function reportInput(overrides: Record<string, unknown> = {}) {
  return {
    classification: 'pengaduan',
    title: 'Jalan rusak di depan pasar',
    body: 'Jalan berlubang besar di depan pasar sudah dua bulan dan membahayakan pengendara.',
    incidentDate: '2026-11-20',
    regionCode: '61.71.01',
    ...overrides,
  };
}

import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Config } from '../config.ts';
import type { Db } from '../db/db.ts';
import type { Role } from '../domain/roles.ts';
import type { BlobStorage } from '../features/attachments/storage.ts';
import type { Logger } from '../logger.ts';
import type { ParsedBody } from './request-body.ts';

/** The signed-in caller, resolved once per request from a bearer token or a session cookie. */
export interface Principal {
  userId: number;
  role: Role;
  name: string;
  /** The body a staff account works for (K/L/D, unit or Ombudsman office); null otherwise. */
  bodyId: number | null;
}

export interface AppDeps {
  db: Db;
  config: Config;
  storage: BlobStorage;
  /** The only clock the request path reads; tests pass a fixed one. */
  now: () => Date;
  /** Structured log; by default JSON lines on stdout at LOG_LEVEL. */
  logger?: Logger;
}

export interface AppEnv {
  Variables: {
    principal: Principal | null;
    authVia: 'bearer' | 'cookie' | null;
    /** Given to every request, returned in `X-Request-Id` and in every error body, and in the log line. */
    requestId: string;
    /** The logger bound to this request's ID. */
    log: Logger;
    /** The request body, read once, cleaned and size-checked (request-body.ts); null without one. */
    body: ParsedBody | null;
  };
}

export type App = OpenAPIHono<AppEnv>;

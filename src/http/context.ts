import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Principal } from '../domain/principal.ts';
import type { Logger } from '../logger.ts';
import type { ParsedBody } from './request-body.ts';

export type { AppDeps } from '../deps.ts';
export type { Principal } from '../domain/principal.ts';

export interface AppEnv {
  Variables: {
    principal: Principal | null;
    authVia: 'bearer' | 'cookie' | 'api_key' | null;
    /** Given to every request, returned in `X-Request-Id` and in every error body, and in the log line. */
    requestId: string;
    /** The logger bound to this request's ID. */
    log: Logger;
    /** The request body, read once, cleaned and size-checked (request-body.ts); null without one. */
    body: ParsedBody | null;
  };
}

export type App = OpenAPIHono<AppEnv>;

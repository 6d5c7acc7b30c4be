import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../logger.ts';
import type { AppEnv } from './context.ts';

const CLIENT_ID = /^[A-Za-z0-9._:-]{8,100}$/;

/**
 * Gives every request an ID (a proxy's own, when it is well-formed), returns it in `X-Request-Id`
 * and logs one line per request with it. The line names the route pattern, not the path with its
 * query string, and no user or address.
 */
export function requestContext(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const offered = c.req.header('x-request-id');
    const requestId = offered && CLIENT_ID.test(offered) ? offered : randomUUID();
    const log = logger.child({ reqId: requestId });
    c.set('requestId', requestId);
    c.set('log', log);
    const started = performance.now();
    await next();
    c.header('X-Request-Id', requestId);
    const status = c.res.status;
    const line = { method: c.req.method, route: matchedRoute(c), status, ms: Math.round((performance.now() - started) * 10) / 10 };
    if (status >= 500) log.error(line, 'request');
    else log.info(line, 'request');
  };
}

function matchedRoute(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string {
  try {
    // The last matched handler is the route itself; unmatched requests fall to the catch-all.
    return routePath(c, -1);
  } catch {
    return '(unmatched)';
  }
}

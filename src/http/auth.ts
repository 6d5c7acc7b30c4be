import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Role } from '../domain/roles.ts';
import { AppError } from '../errors.ts';
import { resolvePrincipal } from '../features/accounts/accounts.service.ts';
import { isApiKey, resolveApiKey } from '../features/integration/integration.service.ts';
import type { AppDeps, AppEnv, Principal } from './context.ts';

export const SESSION_COOKIE = 'lapor_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Where local apps' API keys are accepted (features/integration). */
export const INTEGRATION_PATH = '/api/v1/integration/';

function isSameOrigin(c: Context, publicOrigin: string | null): boolean {
  const origin = c.req.header('origin');
  if (origin) return origin === new URL(c.req.url).origin || origin === publicOrigin;
  return c.req.header('sec-fetch-site') === 'same-origin';
}

/**
 * Resolves the caller once per request. Apps send `Authorization: Bearer <token>`; a local
 * government app sends its API key the same way (or as `X-Api-Key`), on the integration routes
 * only; browsers carry
 * a session cookie, which on state-changing requests counts only from a same-origin page, so a
 * form on another site cannot act with a citizen's session.
 */
export function authenticate(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('principal', null);
    c.set('authVia', null);
    const header = c.req.header('authorization');
    const apiKey = c.req.header('x-api-key');
    let bearer: string | null = null;
    if (header !== undefined) {
      const match = /^Bearer\s+([A-Za-z0-9_\-.~+/=]{10,200})$/i.exec(header.trim());
      if (!match) throw new AppError('unauthenticated', 'Header Authorization tidak valid / Malformed Authorization header');
      bearer = match[1]!;
    }
    // A local app's API key, as a bearer token or in X-Api-Key: on the integration routes only.
    const key = bearer !== null && isApiKey(bearer) ? bearer : bearer === null && apiKey !== undefined ? apiKey.trim() : null;
    if (key !== null) {
      if (!c.req.path.startsWith(INTEGRATION_PATH)) {
        throw new AppError('unauthenticated', `Kunci API hanya untuk ${INTEGRATION_PATH}… / API keys work on ${INTEGRATION_PATH}… only`);
      }
      const principal = await resolveApiKey(deps.db, key, deps.now());
      if (!principal) throw new AppError('unauthenticated', 'Kunci API tidak valid atau dicabut / Invalid or revoked API key');
      c.set('principal', principal);
      c.set('authVia', 'api_key');
    } else if (bearer !== null) {
      const found = await resolvePrincipal(deps.db, bearer, deps.now());
      if (found?.kind !== 'bearer') {
        throw new AppError('unauthenticated', 'Token tidak valid atau kedaluwarsa / Invalid or expired token');
      }
      c.set('principal', found.principal);
      c.set('authVia', 'bearer');
    } else {
      const cookie = getCookie(c, SESSION_COOKIE);
      if (cookie) {
        const found = await resolvePrincipal(deps.db, cookie, deps.now());
        if (found && found.kind === 'cookie') {
          if (!SAFE_METHODS.has(c.req.method) && !isSameOrigin(c, deps.config.publicOrigin)) {
            throw new AppError('forbidden', 'Permintaan lintas situs ditolak / Cross-site request refused');
          }
          c.set('principal', found.principal);
          c.set('authVia', 'cookie');
        }
      }
    }
    await next();
  };
}

export function requirePrincipal(c: Context<AppEnv>): Principal {
  const principal = c.get('principal');
  if (!principal) throw new AppError('unauthenticated', 'Silakan masuk terlebih dahulu / Sign in first');
  return principal;
}

export function requireRole(c: Context<AppEnv>, roles: readonly Role[]): Principal {
  const principal = requirePrincipal(c);
  if (!roles.includes(principal.role)) {
    throw new AppError('forbidden', 'Peran Anda tidak diizinkan / Your role is not allowed to do this');
  }
  return principal;
}

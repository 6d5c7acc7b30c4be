import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './context.ts';
import { isApiPath } from './paths.ts';

const HSTS = 'max-age=31536000; includeSubDomains';

/** The API answers JSON and files: nothing of it may run, load anything or be framed. */
const apiHeaders = secureHeaders({
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
  strictTransportSecurity: false,
});

/** Swagger UI at /docs: its own scripts and styles only, no inline script, no other origin. */
const docsHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
  },
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
  strictTransportSecurity: false,
});

/**
 * The portal: server-rendered pages, its own stylesheet and scripts only, no inline script or
 * style, forms only to itself, photos previewed from blob: URLs. `extraImages` is the report
 * form's map tile origin (on /lapor only, when a map is configured): exactly that origin.
 */
const portalPolicy = (extraImages: string[] = []) =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'blob:', ...extraImages],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'same-origin',
    strictTransportSecurity: false,
  });
const portalHeaders = portalPolicy();

/** The page that shows the map: the report form. */
const MAP_PAGE = '/lapor';

/**
 * Security headers on every response, errors included. HSTS only when the request came over
 * HTTPS (directly, through a trusted proxy, or when the public URL is HTTPS): sent over plain
 * HTTP it would be meaningless, and on localhost it would pin the developer's browser.
 */
export function securityHeaders(options: {
  trustProxy: boolean;
  publicOrigin: string | null;
  map?: { tileOrigin: string } | null;
}): MiddlewareHandler<AppEnv> {
  const formHeaders = options.map ? portalPolicy([options.map.tileOrigin]) : portalHeaders;
  return async (c, next) => {
    const path = c.req.path;
    const headers =
      path === '/docs' || path.startsWith('/docs/')
        ? docsHeaders
        : isApiPath(path)
          ? apiHeaders
          : path === MAP_PAGE
            ? formHeaders
            : portalHeaders;
    await headers(c, next);
    const forwardedProto = options.trustProxy ? c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() : undefined;
    const https =
      new URL(c.req.url).protocol === 'https:' || forwardedProto === 'https' || (options.publicOrigin?.startsWith('https:') ?? false);
    if (https) c.res.headers.set('Strict-Transport-Security', HSTS);
  };
}

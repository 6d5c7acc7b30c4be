import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { registerAccountRoutes } from '../features/accounts/accounts.routes.ts';
import { registerAuditRoutes } from '../features/audit/audit.routes.ts';
import { registerChatRoutes } from '../features/channels/chat.routes.ts';
import { registerInboundRoutes } from '../features/channels/inbound.routes.ts';
import { registerKannelRoutes } from '../features/channels/kannel.routes.ts';
import { registerIntegrationAdminRoutes } from '../features/integration/integration-admin.routes.ts';
import { registerIntegrationRoutes } from '../features/integration/integration.routes.ts';
import { registerBodyAdminRoutes } from '../features/bodies/bodies.routes.ts';
import { registerCategoryAdminRoutes } from '../features/categories/categories.routes.ts';
import { registerCalendarRoutes } from '../features/calendars/calendars.routes.ts';
import { registerNotificationRoutes } from '../features/notifications/notifications.routes.ts';
import { registerOmbudsmanRoutes } from '../features/ombudsman/ombudsman.routes.ts';
import { registerReferenceRoutes } from '../features/reference/reference.routes.ts';
import { registerReportRoutes } from '../features/reports/reports.routes.ts';
import { isOpen311Path, open311Error, registerOpen311Routes } from '../features/open311/open311.routes.ts';
import { authenticate } from './auth.ts';
import type { App, AppDeps, AppEnv } from './context.ts';
import { errorBody, findNulFields, handleError, validationFailed } from './errors.ts';
import { idempotency } from './idempotency.ts';
import { createLogger } from '../logger.ts';
import { requestBody } from './request-body.ts';
import { requestContext } from './request-context.ts';
import { securityHeaders } from './security-headers.ts';
import { errorPage, notFoundPage, registerPortalRoutes } from '../web/portal.routes.ts';
import { registerAccountPages } from '../web/account.routes.ts';
import { registerReportFormPages } from '../web/report-form.routes.ts';
import { registerReporterPages } from '../web/reporter.routes.ts';
import { registerOfficeRoutes } from '../web/office.routes.ts';
import { registerOfficeAdminRoutes } from '../web/office-admin.routes.ts';
import { registerOfficeInboundRoutes } from '../web/office-inbound.routes.ts';
import { registerOfficeIntegrationRoutes } from '../web/office-integration.routes.ts';
import { registerScriptRoutes } from '../web/script.routes.ts';
import { isApiPath } from './paths.ts';

/** JSON bodies: sign-in, registration and most actions; the actions that carry a long message; uploads. */
export const JSON_BODY_LIMIT = 16 * 1024;
export const TEXT_BODY_LIMIT = 96 * 1024;

const gzip = compress({ encoding: 'gzip' });

export function createApp(deps: AppDeps): App {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return validationFailed(c, result.error);
      const nul = findNulFields(result.data);
      if (Object.keys(nul).length > 0) {
        return c.json(errorBody(c, 'invalid_input', 'Input tidak valid / Invalid input', nul), 400);
      }
    },
  });
  // The API answers errors as JSON; the portal as a page that says the same in the reader's language.
  // Open311 answers in its own spec's error format.
  app.onError((err, c) =>
    isOpen311Path(c.req.path) ? open311Error(c, err) : isApiPath(c.req.path) ? handleError(err, c) : errorPage(err, c),
  );
  // The API answers JSON; every other address is the portal's, and answers a page.
  app.notFound((c) => (isApiPath(c.req.path) ? c.json(errorBody(c, 'not_found', 'Tidak ditemukan / Not found'), 404) : notFoundPage(c)));

  app.use('*', requestContext(deps.logger ?? createLogger(deps.config.logLevel)));
  app.use('*', securityHeaders(deps.config));
  // Pages and their stylesheet travel gzipped: a citizen on slow mobile data waits for every byte.
  app.use('*', async (c, next) => (isApiPath(c.req.path) ? next() : gzip(c, next)));
  // The portal's pages read the same session cookie as the API (a reporter sees their own report).
  // Static files (hashed assets, the service worker) need nobody: no session lookup for them.
  const auth = authenticate(deps);
  app.use('*', (c, next) => (c.req.path.startsWith('/assets/') || c.req.path === '/sw.js' ? next() : auth(c, next)));
  app.use(
    '/api/*',
    requestBody(app, {
      small: JSON_BODY_LIMIT,
      text: TEXT_BODY_LIMIT,
      // Room for the attachments plus the form fields; each file is checked against its own limit later.
      upload: deps.config.maxAttachmentBytes * deps.config.maxAttachments + 1024 * 1024,
    }),
  );
  app.use('/api/*', idempotency(deps));
  // Gateways and chat platforms post a few messages at a time: an SMS's text, a webhook's JSON
  // (WhatsApp batches a few messages, X a tweet with its user objects: tens of kilobytes at most;
  // photos are fetched by reference, never posted). Nothing a message could not hold.
  app.use('/channels/*', bodyLimit({ maxSize: TEXT_BODY_LIMIT, onError: (c) => c.text('request body too large', 413) }));

  app.get('/healthz', async (c) => {
    try {
      await deps.db.query('SELECT 1');
      return c.json({ status: 'ok', database: deps.db.kind }, 200);
    } catch (err) {
      c.get('log').error({ err: { message: (err as Error).message } }, 'health check failed');
      return c.json({ status: 'unavailable' }, 503);
    }
  });

  registerAccountRoutes(app, deps);
  registerReferenceRoutes(app, deps);
  registerReportRoutes(app, deps);
  registerCalendarRoutes(app, deps);
  registerNotificationRoutes(app, deps);
  registerOmbudsmanRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerKannelRoutes(app, deps);
  registerChatRoutes(app, deps);
  registerInboundRoutes(app, deps);
  registerOpen311Routes(app, deps);
  registerIntegrationRoutes(app, deps);
  registerIntegrationAdminRoutes(app, deps);
  registerBodyAdminRoutes(app, deps);
  registerCategoryAdminRoutes(app, deps);
  registerAccountPages(app, deps);
  registerReportFormPages(app, deps);
  registerReporterPages(app, deps);
  registerOfficeRoutes(app, deps);
  registerOfficeAdminRoutes(app, deps);
  registerOfficeInboundRoutes(app, deps);
  registerOfficeIntegrationRoutes(app, deps);
  registerScriptRoutes(app);
  registerPortalRoutes(app, deps);

  app.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', { type: 'http', scheme: 'bearer' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'Cookie', { type: 'apiKey', in: 'cookie', name: 'lapor_session' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'LAPOR! API',
      version: '1',
      description:
        'SP4N-LAPOR! — Layanan Aspirasi dan Pengaduan Online Rakyat. Pengaduan, aspirasi dan permintaan informasi ' +
        'tentang pelayanan publik. / Complaints, aspirations and information requests about public services.',
    },
  });
  mountDocs(app);
  return app;
}

/** Swagger UI served from the installed swagger-ui-dist package: no CDN, works offline. */
function mountDocs(app: App): void {
  const dist = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const assets: Record<string, string> = {
    'swagger-ui.css': 'text/css; charset=utf-8',
    'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  };
  // The start script is a file of its own, so the page's Content-Security-Policy needs no inline script.
  app.get('/docs/init.js', (c) =>
    c.body("window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });\n", 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=86400',
    }),
  );
  for (const [file, type] of Object.entries(assets)) {
    let cached: Buffer | null = null;
    app.get(`/docs/${file}`, (c) => {
      cached ??= fs.readFileSync(path.join(dist, file));
      return c.body(new Uint8Array(cached), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
    });
  }
  app.get('/docs', (c) =>
    c.html(`<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dokumentasi API LAPOR! / LAPOR! API docs</title><link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`),
  );
}

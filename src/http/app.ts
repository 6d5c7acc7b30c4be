import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors.ts';
import { registerAccountRoutes } from '../features/accounts/accounts.routes.ts';
import { registerAuditRoutes } from '../features/audit/audit.routes.ts';
import { registerCalendarRoutes } from '../features/calendars/calendars.routes.ts';
import { registerNotificationRoutes } from '../features/notifications/notifications.routes.ts';
import { registerOmbudsmanRoutes } from '../features/ombudsman/ombudsman.routes.ts';
import { registerReferenceRoutes } from '../features/reference/reference.routes.ts';
import { registerReportRoutes } from '../features/reports/reports.routes.ts';
import { authenticate } from './auth.ts';
import type { App, AppDeps, AppEnv } from './context.ts';
import { errorBody, findNulFields, handleError, validationFailed } from './errors.ts';

export function createApp(deps: AppDeps): App {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return validationFailed(c, result.error);
      const nul = findNulFields(result.data);
      if (Object.keys(nul).length > 0) {
        return c.json(errorBody('invalid_input', 'Input tidak valid / Invalid input', nul), 400);
      }
    },
  });
  app.onError(handleError);
  app.notFound((c) => c.json(errorBody('not_found', 'Tidak ditemukan / Not found'), 404));

  // Room for the attachments plus the form fields; each file is checked against its own limit later.
  const maxBody = deps.config.maxAttachmentBytes * deps.config.maxAttachments + 1024 * 1024;
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: maxBody,
      onError: () => {
        throw new AppError('payload_too_large', `Permintaan terlalu besar / Request too large (max ${maxBody} bytes)`);
      },
    }),
  );
  app.use('/api/*', authenticate(deps));

  app.get('/healthz', async (c) => {
    try {
      await deps.db.query('SELECT 1');
      return c.json({ status: 'ok', database: deps.db.kind }, 200);
    } catch (err) {
      return c.json({ status: 'unavailable', error: (err as Error).message }, 503);
    }
  });

  registerAccountRoutes(app, deps);
  registerReferenceRoutes(app, deps);
  registerReportRoutes(app, deps);
  registerCalendarRoutes(app, deps);
  registerNotificationRoutes(app, deps);
  registerOmbudsmanRoutes(app, deps);
  registerAuditRoutes(app, deps);

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
<body><div id="ui"></div><script src="/docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });</script></body></html>`),
  );
}

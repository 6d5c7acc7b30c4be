import { createRoute, z } from '@hono/zod-openapi';
import { requirePrincipal } from '../../http/auth.ts';
import type { App, AppDeps } from '../../http/context.ts';
import { bearerSecurity, errors, jsonBody, jsonResponse } from '../../http/openapi.ts';
import {
  AppDetailSchema,
  AppIdParam,
  AppListSchema,
  DeliveryListSchema,
  KeyIdParam,
  KeyMadeSchema,
  KeyRotatedSchema,
  KeySchema,
  NewKeySchema,
  PagingQuerySchema,
  RotateKeySchema,
  WebhookInputSchema,
  WebhookSetSchema,
} from './integration.schema.ts';
import {
  createKey,
  getApp,
  listAppDeliveries,
  listApps,
  removeAppWebhook,
  revokeKey,
  rotateKey,
  setAppWebhook,
} from './integration.service.ts';

/**
 * The body admin's side of the integration API (issue 11 §4): its apps (integrator accounts of
 * its body and units; a national admin's: all), their keys, webhook and delivery log. The
 * back office's /kantor/integrasi does the same through the same service.
 */

const TAGS = ['Integration admin'];
const BASE = '/api/v1/admin/integrations';

export function registerIntegrationAdminRoutes(app: App, deps: AppDeps): void {
  // Keys and secrets are in some of these answers: no cache keeps any of them.
  for (const path of [BASE, `${BASE}/*`]) {
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
      c.header('Pragma', 'no-cache');
    });
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: BASE,
      tags: TAGS,
      summary: 'The apps (integrator accounts) the admin manages; make one on /api/v1/users with role integrator',
      security: bearerSecurity,
      request: { query: PagingQuerySchema },
      responses: { 200: jsonResponse(AppListSchema, 'One page of apps'), ...errors(400, 401, 403) },
    }),
    async (c) => c.json(await listApps(deps, requirePrincipal(c), c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${BASE}/{appId}`,
      tags: TAGS,
      summary: 'One app: its keys (never the keys themselves) and its webhook (never its secret)',
      security: bearerSecurity,
      request: { params: AppIdParam },
      responses: { 200: jsonResponse(AppDetailSchema, 'The app'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => c.json(await getApp(deps, requirePrincipal(c), c.req.valid('param').appId), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${BASE}/{appId}/keys`,
      tags: TAGS,
      summary: 'Make an API key for the app. The key is in this answer once; only its hash is kept',
      security: bearerSecurity,
      request: { params: AppIdParam, body: jsonBody(NewKeySchema) },
      responses: { 201: jsonResponse(KeyMadeSchema, 'The key, shown once'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await createKey(deps, requirePrincipal(c), c.req.valid('param').appId, c.req.valid('json').name), 201),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${BASE}/{appId}/keys/{keyId}/rotate`,
      tags: TAGS,
      summary: 'Replace a key: a new key (shown once), and the old one revoked now or after `graceMinutes`',
      security: bearerSecurity,
      request: { params: KeyIdParam, body: jsonBody(RotateKeySchema) },
      responses: { 201: jsonResponse(KeyRotatedSchema, 'The new key, shown once, and the old one'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { appId, keyId } = c.req.valid('param');
      return c.json(await rotateKey(deps, requirePrincipal(c), appId, keyId, c.req.valid('json')), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${BASE}/{appId}/keys/{keyId}/revoke`,
      tags: TAGS,
      summary: 'Revoke a key now: requests with it are refused (401) from this moment',
      security: bearerSecurity,
      request: { params: KeyIdParam },
      responses: { 200: jsonResponse(KeySchema, 'The key, revoked'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const { appId, keyId } = c.req.valid('param');
      return c.json(await revokeKey(deps, requirePrincipal(c), appId, keyId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${BASE}/{appId}/webhook`,
      tags: TAGS,
      summary: 'Set the app’s webhook URL; the first time, or with `rotateSecret`, the signing secret is in the answer once',
      security: bearerSecurity,
      request: { params: AppIdParam, body: jsonBody(WebhookInputSchema) },
      responses: { 200: jsonResponse(WebhookSetSchema, 'The webhook'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => c.json(await setAppWebhook(deps, requirePrincipal(c), c.req.valid('param').appId, c.req.valid('json')), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: `${BASE}/{appId}/webhook`,
      tags: TAGS,
      summary: 'Stop the app’s webhook',
      security: bearerSecurity,
      request: { params: AppIdParam },
      responses: { 200: jsonResponse(z.object({ removed: z.boolean() }), 'Done'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => c.json(await removeAppWebhook(deps, requirePrincipal(c), c.req.valid('param').appId), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${BASE}/{appId}/deliveries`,
      tags: TAGS,
      summary: 'The app’s webhook delivery log, newest first: each attempt with its time, HTTP status, latency and error',
      security: bearerSecurity,
      request: { params: AppIdParam, query: PagingQuerySchema },
      responses: { 200: jsonResponse(DeliveryListSchema, 'One page of attempts'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => c.json(await listAppDeliveries(deps, requirePrincipal(c), c.req.valid('param').appId, c.req.valid('query')), 200),
  );
}

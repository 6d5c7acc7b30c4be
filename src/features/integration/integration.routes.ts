import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requireRole } from '../../http/auth.ts';
import type { App, AppDeps, AppEnv } from '../../http/context.ts';
import { parseInput } from '../../http/errors.ts';
import { errors, jsonBody, jsonResponse } from '../../http/openapi.ts';
import { invalidInput } from '../../errors.ts';
import { getAppReport, listChanges } from './changes.service.ts';
import {
  AppReportSchema,
  AppReportWithTimelineSchema,
  ChangesQuerySchema,
  ChangesSchema,
  DeliveryListSchema,
  ExternalIdParam,
  PagingQuerySchema,
  PendingSchema,
  PushReplyFormSchema,
  PushReplySchema,
  PushReportFormSchema,
  PushReportSchema,
  WebhookInputSchema,
  WebhookSetSchema,
  WebhookStateSchema,
} from './integration.schema.ts';
import { getOwnWebhook, listOwnDeliveries, removeOwnWebhook, setOwnWebhook } from './integration.service.ts';
import { type PushOutcome, pushReply, pushReport } from './push.service.ts';

/**
 * The integration API for local government apps (issue 11 §4): `Authorization: Bearer lpr_live_…`
 * (or `X-Api-Key`). An app pushes reports and replies under its own ids, reads its own reports,
 * pulls their changes, and sets its webhook. Everything it reads is its own: another app's report
 * is not found.
 */

const appSecurity: Record<string, string[]>[] = [{ ApiKey: [] }, { Bearer: [] }];
const TAGS = ['Integration'];

const appOnly = (c: Context<AppEnv>) => requireRole(c, ['integrator']);

/** A multipart body's JSON field (`report`, `reply`) and its files, or the JSON body itself. */
async function readPush<T extends z.ZodType>(
  c: Context<AppEnv>,
  json: T,
  form: z.ZodType,
  field: 'report' | 'reply',
): Promise<{ input: z.output<T>; files: File[] }> {
  if ((c.req.header('content-type') ?? '').startsWith('multipart/form-data')) {
    const body = await c.req.parseBody({ all: true });
    const parts = parseInput(form, body) as { attachments: File[] } & Record<string, string>;
    let value: unknown;
    try {
      value = JSON.parse(parts[field]!);
    } catch {
      throw invalidInput({ [field]: 'Harus JSON / Must be JSON' });
    }
    return { input: parseInput(json, value), files: parts.attachments };
  }
  return { input: parseInput(json, (c.req as unknown as { valid(t: 'json'): unknown }).valid('json') ?? {}), files: [] };
}

function answer<T>(c: Context<AppEnv>, outcome: PushOutcome<T>, externalId: string) {
  if (outcome.replayed) c.header('Idempotent-Replayed', 'true');
  if (outcome.state === 'pending') {
    c.header('Retry-After', '30');
    return c.json(
      {
        externalId,
        state: 'pending' as const,
        message:
          'Diterima dan disimpan; sedang diproses. Kirim ulang yang sama untuk jawabannya / Stored and being handled: send the same push again for the answer',
      },
      202,
    );
  }
  return c.json(outcome.value as never, outcome.replayed ? 200 : 201);
}

export function registerIntegrationRoutes(app: App, deps: AppDeps): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'ApiKey', { type: 'apiKey', in: 'header', name: 'X-Api-Key' });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/integration/reports',
      tags: TAGS,
      summary:
        'Push a report for a citizen of the app, under the app’s own id (JSON, or multipart with the JSON in `report` and files in `attachments`). The same externalId again is the same report: 201 the first time, 200 after',
      'x-body-limit': 'text',
      security: appSecurity,
      request: {
        body: {
          content: {
            'application/json': { schema: PushReportSchema },
            'multipart/form-data': { schema: PushReportFormSchema },
          },
        },
      },
      responses: {
        201: jsonResponse(AppReportSchema, 'Filed'),
        200: jsonResponse(AppReportSchema, 'Pushed before: the same report (`Idempotent-Replayed: true`)'),
        202: jsonResponse(PendingSchema, 'Stored, and handled shortly: send the same push again for the answer'),
        ...errors(400, 401, 403, 409, 413, 415),
      },
    }),
    (async (c: Context<AppEnv>) => {
      const principal = appOnly(c);
      const { input, files } = await readPush(c, PushReportSchema, PushReportFormSchema, 'report');
      return answer(c, await pushReport(deps, principal, input, files), input.externalId);
    }) as never,
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/integration/reports/{externalId}',
      tags: TAGS,
      summary: 'One of the app’s reports, with its timeline as the reporter sees it (no names of people)',
      security: appSecurity,
      request: { params: ExternalIdParam },
      responses: { 200: jsonResponse(AppReportWithTimelineSchema, 'The report'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => c.json((await getAppReport(deps, appOnly(c), c.req.valid('param').externalId)) as never, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/integration/reports/{externalId}/replies',
      tags: TAGS,
      summary:
        'Push the citizen’s reply on one of the app’s reports, under the app’s own reply id (JSON, or multipart with the JSON in `reply` and files in `attachments`). The same replyId again is the same reply',
      'x-body-limit': 'text',
      security: appSecurity,
      request: {
        params: ExternalIdParam,
        body: {
          content: {
            'application/json': { schema: PushReplySchema },
            'multipart/form-data': { schema: PushReplyFormSchema },
          },
        },
      },
      responses: {
        201: jsonResponse(z.object({ replyId: z.string(), report: AppReportSchema }), 'Received'),
        200: jsonResponse(z.object({ replyId: z.string(), report: AppReportSchema }), 'Pushed before: the same reply'),
        202: jsonResponse(PendingSchema, 'Stored, and handled shortly'),
        ...errors(400, 401, 403, 404, 409, 413, 415),
      },
    }),
    (async (c: Context<AppEnv>) => {
      const principal = appOnly(c);
      const { externalId } = parseInput(ExternalIdParam, c.req.param());
      const { input, files } = await readPush(c, PushReplySchema, PushReplyFormSchema, 'reply');
      return answer(c, await pushReply(deps, principal, externalId, input, files), externalId);
    }) as never,
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/integration/changes',
      tags: TAGS,
      summary:
        'What changed on the app’s reports after a cursor (every timeline event the reporter may see), oldest first; ask again with `nextCursor`',
      security: appSecurity,
      request: { query: ChangesQuerySchema },
      responses: { 200: jsonResponse(ChangesSchema, 'One page of changes'), ...errors(400, 401, 403) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await listChanges(deps, appOnly(c), { cursor: q.cursor, limit: q.limit }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/integration/webhook',
      tags: TAGS,
      summary: 'The app’s webhook (never its secret)',
      security: appSecurity,
      responses: { 200: jsonResponse(WebhookStateSchema, 'The webhook, or null'), ...errors(401, 403) },
    }),
    async (c) => c.json({ webhook: await getOwnWebhook(deps, appOnly(c)) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/integration/webhook',
      tags: TAGS,
      summary:
        'Set the app’s webhook URL (http or https). The first time, or with `rotateSecret`, the answer carries the signing secret, once',
      security: appSecurity,
      request: { body: jsonBody(WebhookInputSchema) },
      responses: { 200: jsonResponse(WebhookSetSchema, 'The webhook'), ...errors(400, 401, 403) },
    }),
    async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await setOwnWebhook(deps, appOnly(c), c.req.valid('json')), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/integration/webhook',
      tags: TAGS,
      summary: 'Stop the app’s webhook (changes can still be pulled)',
      security: appSecurity,
      responses: { 200: jsonResponse(z.object({ removed: z.boolean() }), 'Done'), ...errors(401, 403) },
    }),
    async (c) => c.json(await removeOwnWebhook(deps, appOnly(c)), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/integration/webhook/deliveries',
      tags: TAGS,
      summary: 'The webhook’s delivery log, newest first: each attempt with its HTTP status, latency and error',
      security: appSecurity,
      request: { query: PagingQuerySchema },
      responses: { 200: jsonResponse(DeliveryListSchema, 'One page of attempts'), ...errors(400, 401, 403) },
    }),
    async (c) => c.json(await listOwnDeliveries(deps, appOnly(c), c.req.valid('query')), 200),
  );
}

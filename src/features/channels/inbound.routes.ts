import { createRoute, z } from '@hono/zod-openapi';
import { CLASSIFICATIONS } from '../../domain/report.ts';
import { requirePrincipal } from '../../http/auth.ts';
import type { App, AppDeps } from '../../http/context.ts';
import { bearerSecurity, errors, jsonBody, jsonResponse, pagingQuery } from '../../http/openapi.ts';
import { dismissInbound, fileInboundAsReport, getInbound, INBOUND_STATUSES, listInbound } from './inbound.service.ts';

const InboundSchema = z
  .object({
    id: z.number().int(),
    channel: z.enum(['sms', 'x', 'whatsapp', 'telegram', 'email', 'integration', 'open311']),
    gateway: z.string().openapi({ example: 'kannel' }),
    sender: z.string().nullable().openapi({ description: 'The channel handle: +62… for SMS' }),
    receiver: z.string().nullable().openapi({ example: '1708' }),
    text: z.string().nullable(),
    receivedAt: z.string(),
    status: z.enum(INBOUND_STATUSES),
    outcome: z.enum(['report', 'reply', 'status', 'help', 'rejected', 'combined']).nullable(),
    reason: z.string().nullable().openapi({ description: 'Why it could not be understood, or what was decided' }),
    report: z.object({ trackingId: z.string() }).nullable(),
    handledBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  })
  .openapi('InboundMessage');

const InboundListSchema = z
  .object({ items: z.array(InboundSchema), total: z.number().int(), page: z.number().int(), perPage: z.number().int() })
  .openapi('InboundMessageList');

const IdParam = z.object({
  id: z.coerce
    .number({ error: 'Harus angka / Must be a number' })
    .int()
    .positive()
    .max(Number.MAX_SAFE_INTEGER)
    .openapi({ param: { name: 'id', in: 'path' }, example: 12 }),
});

/** What a national admin gives to file a message as a report (the form on /kantor/pesan/:id too). */
export const FileByHandSchema = z
  .strictObject({
    classification: z.enum(CLASSIFICATIONS, { error: 'Pilih klasifikasi / Choose a classification' }).default('pengaduan'),
    title: z.string({ error: 'Harus berupa teks / Must be text' }).trim().min(5, 'Minimal 5 karakter / At least 5 characters').max(200),
    body: z
      .string({ error: 'Harus berupa teks / Must be text' })
      .trim()
      .min(20, 'Minimal 20 karakter / At least 20 characters')
      .max(10_000),
    regionCode: z
      .string()
      .trim()
      .regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/, 'Kode wilayah Kemendagri (mis. 61.71) / A Kemendagri region code (e.g. 61.71)')
      .nullable()
      .optional(),
    categoryId: z.number().int().positive().nullable().optional(),
    suggestedBodyId: z.number().int().positive().nullable().optional(),
  })
  .openapi('FileInboundAsReport');

export const DismissSchema = z
  .strictObject({
    reason: z.string({ error: 'Harus berupa teks / Must be text' }).trim().min(3, 'Tulis alasannya / Give the reason').max(500),
  })
  .openapi('DismissInbound');

/** The raw store of inbound messages (issue 11 §1), for national admins. */
export function registerInboundRoutes(app: App, deps: AppDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/channels/inbound',
      tags: ['Channels'],
      summary: 'Inbound messages as they arrived (SMS…), newest first; `status=unparsed` lists those waiting for an admin',
      security: bearerSecurity,
      request: {
        query: z.strictObject({
          status: z.enum(INBOUND_STATUSES).optional(),
          channel: z.enum(['sms', 'x', 'whatsapp', 'telegram', 'email', 'integration', 'open311']).optional(),
          ...pagingQuery,
        }),
      },
      responses: { 200: jsonResponse(InboundListSchema, 'One page of messages'), ...errors(400, 401, 403) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await listInbound(deps, requirePrincipal(c), { ...q, page: q.page ?? 1, perPage: q.perPage ?? 20 }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/channels/inbound/{id}',
      tags: ['Channels'],
      summary: 'One inbound message',
      security: bearerSecurity,
      request: { params: IdParam },
      responses: { 200: jsonResponse(InboundSchema, 'The message'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => c.json(await getInbound(deps, requirePrincipal(c), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/channels/inbound/{id}/report',
      tags: ['Channels'],
      summary: 'Files an unparsed message as a report for its sender, who gets the receipt on their channel',
      security: bearerSecurity,
      request: { params: IdParam, body: jsonBody(FileByHandSchema) },
      responses: {
        201: jsonResponse(z.object({ inbound: InboundSchema, trackingId: z.string() }), 'The report was filed'),
        ...errors(400, 401, 403, 404, 409),
      },
    }),
    async (c) => c.json(await fileInboundAsReport(deps, requirePrincipal(c), c.req.valid('param').id, c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/channels/inbound/{id}/dismiss',
      tags: ['Channels'],
      summary: 'Closes an unparsed message as not a report, with the reason; the message stays in the store',
      security: bearerSecurity,
      request: { params: IdParam, body: jsonBody(DismissSchema) },
      responses: { 200: jsonResponse(InboundSchema, 'The message, handled'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await dismissInbound(deps, requirePrincipal(c), c.req.valid('param').id, c.req.valid('json').reason), 200),
  );
}

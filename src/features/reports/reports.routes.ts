import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { CLOCK_KINDS } from '../../domain/sla.ts';
import type { Action } from '../../domain/workflow.ts';
import { requirePrincipal, requireRole } from '../../http/auth.ts';
import type { App, AppDeps, AppEnv } from '../../http/context.ts';
import { parseInput } from '../../http/errors.ts';
import { contentDisposition } from '../attachments/file-names.ts';
import { bearerSecurity, errors, jsonResponse } from '../../http/openapi.ts';
import { type ActionInput, performAction } from './report-actions.service.ts';
import { ARCHIVE_REASONS, CLASSIFICATIONS } from '../../domain/report.ts';
import {
  FilesField,
  ListQuerySchema,
  ReportListSchema,
  ReportSchema,
  SubmitReportFormSchema,
  SubmitReportSchema,
  TimelineEventSchema,
  TrackingIdParam,
} from './reports.schema.ts';
import * as service from './reports.service.ts';

const message = z.string().trim().min(1, 'Wajib diisi / Required').max(10_000);
const optionalMessage = z.string().trim().max(10_000).optional();

const ClockSchema = z
  .object({
    kind: z.enum(CLOCK_KINDS),
    label: z.object({ id: z.string(), en: z.string() }),
    cycle: z.number().int(),
    state: z.enum(['running', 'paused', 'stopped', 'expired']),
    limit: z.object({ days: z.number().int(), unit: z.enum(['working', 'calendar']) }),
    startedAt: z.string(),
    dueAt: z.string().nullable().openapi({ description: 'ISO-8601 with the body’s offset; null while paused' }),
    timeZone: z.string(),
    left: z
      .object({ workingDays: z.number().int(), milliseconds: z.number(), overdue: z.boolean() })
      .nullable()
      .openapi({ description: 'Working time left (calendar time for limits in calendar days), while running' }),
    remindedAt: z.string().nullable(),
    breachedAt: z.string().nullable(),
  })
  .openapi('Clock');
const ReportWithClocksSchema = ReportSchema.extend({ clocks: z.array(ClockSchema) }).openapi('ReportWithClocks');

/** Each lifecycle action: its path, the action in the transition table, and what it carries. */
const ACTION_ROUTES: { path: string; action: Action; summary: string; schema: z.ZodObject; files?: boolean }[] = [
  {
    path: 'verify',
    action: 'verify',
    summary: 'Verify: set classification, category, resolution class, anonim/rahasia, edit the title',
    schema: z.strictObject({
      resolutionClass: z.union([z.literal(5), z.literal(14), z.literal(60)], { error: '5, 14 atau 60 / 5, 14 or 60' }),
      classification: z.enum(CLASSIFICATIONS).optional(),
      categoryId: z.number().int().positive().nullable().optional(),
      title: z.string().trim().min(5).max(200).optional(),
      anonymous: z.boolean().optional(),
      secret: z.boolean().optional(),
    }),
  },
  {
    path: 'edit',
    action: 'edit',
    summary:
      'Correct a verified report: title, category, classification; anonim/rahasia only go on (national admin, or the handling body’s admin)',
    schema: z.strictObject({
      classification: z.enum(CLASSIFICATIONS).optional(),
      categoryId: z.number().int().positive().nullable().optional(),
      title: z.string().trim().min(5).max(200).optional(),
      anonymous: z.boolean().optional(),
      secret: z.boolean().optional(),
      message: optionalMessage,
    }),
  },
  { path: 'hold', action: 'hold', summary: 'Hold for completion by the reporter', schema: z.strictObject({ message }) },
  {
    path: 'archive',
    action: 'archive',
    summary:
      'Archive with a reason (a duplicate links to its original). A national admin archives at once; a body’s admin asks, and a national admin confirms',
    schema: z.strictObject({ reason: z.enum(ARCHIVE_REASONS), duplicateOf: z.string().max(20).optional(), message: optionalMessage }),
  },
  {
    path: 'archive/confirm',
    action: 'confirm_archive',
    summary: 'National admin: confirm a body’s archive request (the report is archived with the reason it gave)',
    schema: z.strictObject({ message: optionalMessage }),
  },
  {
    path: 'archive/reject',
    action: 'reject_archive',
    summary: 'National admin: reject a body’s archive request, with the reason (the report stays open)',
    schema: z.strictObject({ message }),
  },
  {
    path: 'appeal',
    action: 'appeal',
    summary: 'Reporter: appeal an archive, once, to the national admin, saying why',
    schema: z.strictObject({ message }),
  },
  {
    path: 'appeal/grant',
    action: 'grant_appeal',
    summary: 'National admin: grant the appeal (the report goes back to the national desk; its Ombudsman clock runs on)',
    schema: z.strictObject({ message }),
  },
  {
    path: 'appeal/reject',
    action: 'reject_appeal',
    summary: 'National admin: reject the appeal, with the reason (the archive stands)',
    schema: z.strictObject({ message }),
  },
  {
    path: 'route',
    action: 'route',
    summary: 'Route to a body (an agency admin takes it into its own body)',
    schema: z.strictObject({ bodyId: z.number().int().positive().optional(), message: optionalMessage }),
  },
  {
    path: 'disposition',
    action: 'disposition',
    summary: 'Disposition to a unit, or from a unit to a sub-unit',
    schema: z.strictObject({ unitId: z.number().int().positive(), message: optionalMessage }),
  },
  {
    path: 'forward',
    action: 'forward',
    summary: 'Forward to another body, or back to the national admin, with a reason',
    schema: z.strictObject({ bodyId: z.number().int().positive().optional(), toNational: z.boolean().optional(), message }),
  },
  {
    path: 'follow-ups',
    action: 'follow_up',
    summary: 'Post a follow-up (internal ones are seen by staff only)',
    schema: z.strictObject({ message, internal: z.boolean().optional() }),
    files: true,
  },
  {
    path: 'answer',
    action: 'answer',
    summary: 'Post the final answer with evidence; promises of action are refused',
    schema: z.strictObject({ message }),
    files: true,
  },
  { path: 'reply', action: 'reply', summary: 'Reporter: reply or add information', schema: z.strictObject({ message }), files: true },
  { path: 'reopen', action: 'reopen', summary: 'Reporter: reopen an answered report', schema: z.strictObject({ message }) },
  { path: 'accept', action: 'accept', summary: 'Reporter: accept the answer', schema: z.strictObject({ message: optionalMessage }) },
  {
    path: 'rate',
    action: 'rate',
    summary: 'Reporter: rate 1–5 (1–2 reopens the report)',
    schema: z.strictObject({ rating: z.number().int().min(1).max(5), message: optionalMessage }),
  },
  { path: 'close', action: 'close', summary: 'Reporter: close the report', schema: z.strictObject({ message: optionalMessage }) },
];

/** A multipart form's text fields, coerced to what the JSON schema of the same action expects. */
function formToJson(form: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(form)) {
    if (key === 'attachments' || typeof value !== 'string') continue;
    out[key] = value === 'true' ? true : value === 'false' ? false : value;
  }
  return out;
}

function filesOf(form: Record<string, unknown>): File[] {
  const value = form.attachments;
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((f): f is File => f instanceof File);
}

export function registerReportRoutes(app: App, deps: AppDeps): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/reports',
      tags: ['Reports'],
      summary: 'Submit a report (JSON, or a multipart form with attachments)',
      'x-body-limit': 'text',
      security: bearerSecurity,
      request: {
        // Not `required`: with two media types the validator would otherwise run both on every
        // request. The handler validates whichever body arrived, so a missing one is still a 400.
        body: {
          content: {
            'application/json': { schema: SubmitReportSchema },
            'multipart/form-data': { schema: SubmitReportFormSchema },
          },
        },
      },
      responses: {
        201: jsonResponse(ReportSchema, 'Filed; `trackingId` is the public reference'),
        ...errors(400, 401, 403, 413, 415),
      },
    }),
    async (c) => {
      const principal = requireRole(c, ['reporter']);
      let input: service.SubmitInput;
      let files: File[] = [];
      if ((c.req.header('content-type') ?? '').startsWith('multipart/form-data')) {
        const form = await c.req.parseBody({ all: true });
        files = filesOf(form);
        const f = parseInput(SubmitReportFormSchema, form);
        input = parseInput(SubmitReportSchema, {
          ...formToJson(form),
          latitude: f.latitude ?? undefined,
          longitude: f.longitude ?? undefined,
          categoryId: f.categoryId ?? undefined,
          suggestedBodyId: f.suggestedBodyId ?? undefined,
          anonymous: f.anonymous,
          secret: f.secret,
          regionCode: f.regionCode || undefined,
        });
      } else {
        input = parseInput(SubmitReportSchema, c.req.valid('json' as never) ?? {});
      }
      const { reportId } = await service.submitReport(deps, principal, input, files);
      // A report filed without files has none to read back (one round trip less per submission).
      return c.json(await service.viewReport(deps.db, 'reporter', principal, reportId, files.length === 0 ? [] : undefined), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reports',
      tags: ['Reports'],
      summary: 'Public feed and search (never secret reports, never an anonymous reporter’s identity)',
      request: { query: ListQuerySchema },
      responses: { 200: jsonResponse(ReportListSchema, 'Public reports, newest first'), ...errors(400) },
    }),
    async (c) => c.json(await service.listPublic(deps, c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/me/reports',
      tags: ['Reports'],
      summary: 'My own reports, in full',
      security: bearerSecurity,
      request: { query: ListQuerySchema },
      responses: { 200: jsonResponse(ReportListSchema, 'My reports'), ...errors(400, 401) },
    }),
    async (c) => c.json(await service.listOwn(deps, requirePrincipal(c), c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/inbox',
      tags: ['Reports'],
      summary: 'Staff inbox: the reports in my scope (body, unit, Ombudsman office, or everything for national roles)',
      security: bearerSecurity,
      request: { query: ListQuerySchema },
      responses: { 200: jsonResponse(ReportListSchema, 'Reports in scope'), ...errors(400, 401, 403) },
    }),
    async (c) => c.json(await service.listInbox(deps, requirePrincipal(c), c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/stats',
      tags: ['Reports'],
      summary: 'Public counts (public reports only)',
      responses: {
        200: jsonResponse(
          z.object({
            total: z.number().int(),
            byStatus: z.record(z.string(), z.number()),
            byClassification: z.record(z.string(), z.number()),
          }),
          'Counts',
        ),
      },
    }),
    async (c) => c.json(await service.publicStats(deps), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reports/{trackingId}',
      tags: ['Reports'],
      summary: 'One report, as the caller may see it, with its deadline clocks',
      request: { params: TrackingIdParam },
      responses: { 200: jsonResponse(ReportWithClocksSchema, 'The report'), ...errors(404) },
    }),
    async (c) => c.json(await service.getReportWithClocks(deps, c.get('principal'), c.req.valid('param').trackingId), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reports/{trackingId}/timeline',
      tags: ['Reports'],
      summary: 'The report’s timeline, filtered to what the caller may see',
      request: { params: TrackingIdParam },
      responses: { 200: jsonResponse(z.array(TimelineEventSchema), 'Events, oldest first'), ...errors(404) },
    }),
    async (c) => c.json(await service.getTimeline(deps, c.get('principal'), c.req.valid('param').trackingId), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reports/{trackingId}/attachments/{attachmentId}',
      tags: ['Reports'],
      summary: 'Download an attachment the caller may see',
      request: {
        params: TrackingIdParam.extend({
          attachmentId: z.coerce
            .number()
            .int()
            .positive()
            .openapi({ param: { name: 'attachmentId', in: 'path' } }),
        }),
      },
      responses: { 200: { description: 'The file' }, ...errors(400, 404) },
    }),
    async (c) => {
      const { trackingId, attachmentId } = c.req.valid('param');
      const file = await service.getAttachment(deps, c.get('principal'), trackingId, attachmentId);
      return c.body(new Uint8Array(file.bytes), 200, {
        'content-type': file.mediaType,
        // RFC 6266: an ASCII fallback and the UTF-8 name (`filename*`), so any name downloads.
        'content-disposition': contentDisposition(file.fileName),
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/reports/{trackingId}/identity',
      tags: ['Reports'],
      summary: 'National admins: see who filed a report (audited; a reason is required)',
      security: bearerSecurity,
      request: {
        params: TrackingIdParam,
        body: {
          required: true,
          content: { 'application/json': { schema: z.strictObject({ reason: z.string().trim().min(10).max(500) }) } },
        },
      },
      responses: {
        200: jsonResponse(
          z.object({ name: z.string(), email: z.string().nullable(), phone: z.string().nullable(), anonymous: z.boolean() }),
          'The identity',
        ),
        ...errors(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const principal = requirePrincipal(c);
      return c.json(await service.revealIdentity(deps, principal, c.req.valid('param').trackingId, c.req.valid('json').reason), 200);
    },
  );

  for (const def of ACTION_ROUTES) registerActionRoute(app, deps, def);
}

function registerActionRoute(app: App, deps: AppDeps, def: (typeof ACTION_ROUTES)[number]): void {
  const content: Record<string, { schema: z.ZodType }> = { 'application/json': { schema: def.schema } };
  if (def.files) {
    // Form fields arrive as text; the handler coerces them and validates against def.schema.
    const textFields = Object.fromEntries(Object.keys(def.schema.shape).map((k) => [k, z.string().optional()]));
    content['multipart/form-data'] = { schema: z.strictObject({ ...textFields, attachments: FilesField }) };
  }
  const route = createRoute({
    method: 'post',
    path: `/api/v1/reports/{trackingId}/${def.path}`,
    tags: ['Lifecycle'],
    summary: def.summary,
    'x-body-limit': 'text',
    security: bearerSecurity,
    request: { params: TrackingIdParam, body: { required: !def.files, content } },
    responses: { 200: jsonResponse(ReportSchema, 'The report after the action'), ...errors(400, 401, 403, 404, 409, 413, 415, 422) },
  });
  // Multipart bodies are validated here rather than by the route, since form fields arrive as text.
  app.openapi(route, (async (c: Context<AppEnv>) => {
    const principal = requirePrincipal(c);
    const { trackingId } = c.req.param() as { trackingId: string };
    let input: ActionInput;
    let files: File[] = [];
    if ((c.req.header('content-type') ?? '').startsWith('multipart/form-data')) {
      const form = await c.req.parseBody({ all: true });
      files = filesOf(form);
      input = parseInput(def.schema, formToJson(form)) as ActionInput;
    } else {
      input = parseInput(def.schema, (c.req as unknown as { valid(t: 'json'): unknown }).valid('json') ?? {}) as ActionInput;
    }
    return c.json(await performAction(deps, principal, trackingId, def.action, input, files), 200);
  }) as never);
}

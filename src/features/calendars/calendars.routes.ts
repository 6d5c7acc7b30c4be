import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../errors.ts';
import { requirePrincipal } from '../../http/auth.ts';
import type { App, AppDeps } from '../../http/context.ts';
import { bearerSecurity, errors, jsonBody, jsonResponse, pagingQuery } from '../../http/openapi.ts';
import {
  addCalendarDay,
  approveChangeRequest,
  changeCalendarDay,
  importCalendarYear,
  rejectChangeRequest,
  removeCalendarDay,
} from '../sla/calendar-changes.service.ts';
import type { CalendarDayRow } from './calendars.repository.ts';
import * as service from './calendars.service.ts';
import * as requests from './change-requests.service.ts';

const KINDS = ['holiday', 'cuti_bersama', 'regional', 'workday'] as const;

const ScopeQuery = z.strictObject({
  scope: z.enum(['national', 'province', 'body']).default('national'),
  provinceCode: z
    .string()
    .regex(/^\d{2}$/, 'Kode provinsi dua angka, mis. 61 / Two-digit province code, e.g. 61')
    .optional(),
  bodyId: z.coerce.number().int().positive().optional(),
  year: z.coerce.number().int().min(1900).max(2200),
});

const DaySchema = z
  .object({ date: z.string(), kind: z.enum(KINDS), name: z.string(), provisional: z.boolean().optional() })
  .openapi('CalendarDay');
const StoredDaySchema = DaySchema.extend({ id: z.number().int(), scope: z.string() }).openapi('StoredCalendarDay');

const CalendarSchema = z
  .object({
    scope: z.string(),
    year: z.number().int(),
    status: z.enum(['decreed', 'provisional']).nullable(),
    source: z.string().nullable(),
    note: z.string().nullable(),
    days: z.array(DaySchema),
  })
  .openapi('Calendar');

/** Why a province's or a body's admin asks for a change; kept on the request for the admins. */
const ReasonField = z
  .string()
  .trim()
  .max(1000)
  .optional()
  .openapi({ description: 'Why the change is asked: kept on the change request, seen by admins only (never on a report’s timeline)' });

const NewDaySchema = z
  .strictObject({
    scope: z.enum(['national', 'province', 'body']),
    provinceCode: z
      .string()
      .regex(/^\d{2}$/)
      .optional(),
    bodyId: z.number().int().positive().optional(),
    date: z.string().max(10),
    kind: z.enum(KINDS),
    name: z.string().trim().min(1).max(200),
    provisional: z.boolean().optional(),
    reason: ReasonField,
  })
  .openapi('NewCalendarDay');

const ChangeRequestSchema = z
  .object({
    id: z.number().int().openapi({ description: 'The request’s number, named on every deadline it moves' }),
    status: z.enum(['pending', 'approved', 'rejected']).openapi({ description: 'A request is decided once' }),
    action: z
      .enum(['add', 'change', 'remove', 'import'])
      .openapi({ description: 'What is asked: add, change or remove a day, or import (replace) a year' }),
    layer: z
      .object({
        scope: z.enum(['province', 'body']),
        key: z.string().openapi({ description: 'The layer’s key, e.g. `body:12` or `province:61`' }),
        provinceCode: z.string().nullable(),
        bodyId: z.number().int().nullable(),
        name: z.string().nullable().openapi({ description: 'The body’s or the province’s name' }),
      })
      .openapi({ description: 'The calendar layer the change is for' }),
    dayId: z.number().int().nullable().openapi({ description: 'change and remove: the day asked about; add: the day made on approval' }),
    day: DaySchema.nullable().openapi({ description: 'add: the day to add' }),
    before: DaySchema.nullable().openapi({ description: 'change and remove: the day as it was when the change was asked' }),
    after: DaySchema.nullable().openapi({ description: 'change: the day as it is to be' }),
    import: z
      .object({
        year: z.number().int(),
        status: z.enum(['decreed', 'provisional']),
        source: z.string(),
        note: z.string().nullable(),
        days: z.array(DaySchema).openapi({ description: 'The days that replace the layer’s year' }),
      })
      .nullable()
      .openapi({ description: 'import: the year asked for' }),
    reason: z.string().nullable().openapi({ description: 'Why it was asked (the requester’s note)' }),
    requestedBy: z.object({ id: z.number().int(), name: z.string() }),
    requestedAt: z.string().openapi({ description: 'ISO 8601 instant' }),
    decidedBy: z
      .object({ id: z.number().int(), name: z.string() })
      .nullable()
      .openapi({ description: 'The national admin who approved or rejected it' }),
    decidedAt: z.string().nullable(),
    decisionReason: z.string().nullable().openapi({ description: 'Why it was rejected (or the approver’s note)' }),
    deadlinesMoved: z.number().int().nullable().openapi({ description: 'On approval: how many open deadlines the change moved' }),
  })
  .openapi('CalendarChangeRequest');

const pending = (what: string) =>
  jsonResponse(
    ChangeRequestSchema,
    `${what} by a province’s or a body’s admin: not applied, but kept as a change request until a national admin approves it`,
  );

const IdParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'id', in: 'path' } }),
});

function toStored(row: CalendarDayRow) {
  return { id: row.id, scope: row.scope_key, date: row.date, kind: row.kind, name: row.name, provisional: row.provisional };
}

export function registerCalendarRoutes(app: App, deps: AppDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/calendar',
      tags: ['Calendars'],
      summary: 'One year of one calendar layer (national, a province, a body), as JSON or CSV (format=csv)',
      request: { query: ScopeQuery.extend({ format: z.enum(['json', 'csv']).default('json') }) },
      responses: { 200: jsonResponse(CalendarSchema, 'The days, with the year’s status and source'), ...errors(400) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const ref = await service.resolveScope(deps.db, q);
      const exported = await service.exportYear(deps.db, ref, q.year);
      if (q.format === 'csv') {
        return c.body(exported.csv(), 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="kalender-${exported.scope.replace(':', '-')}-${q.year}.csv"`,
        }) as never;
      }
      const { csv: _csv, ...json } = exported;
      return c.json(json, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/calendar',
      tags: ['Calendars'],
      summary: 'Import (replace) one year of one calendar layer from CSV (`date,kind,name`) or JSON',
      description:
        'A format error names the line. The year’s source (e.g. the SKB) and status go in the query. A national admin’s ' +
        'import applies at once (200); a province’s or a body’s admin’s becomes a change request (202).',
      security: bearerSecurity,
      'x-body-limit': 'text',
      request: {
        query: ScopeQuery.extend({
          status: z.enum(['decreed', 'provisional']).default('decreed'),
          source: z.string().trim().min(3).max(500),
          note: z.string().max(1000).optional(),
          reason: ReasonField,
        }),
        // Both bodies are parsed by the calendar parser itself, so an error names the file's line.
        body: {
          content: {
            'text/csv': { schema: z.string().openapi({ example: 'date,kind,name\n2026-01-01,holiday,Tahun Baru Masehi\n' }) },
            'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/CalendarDay' } } as never },
          },
        },
      },
      responses: {
        200: jsonResponse(
          z.object({ imported: z.number().int(), deadlinesMoved: z.number().int() }),
          'Imported; open deadlines it touches are moved',
        ),
        202: pending('Asked'),
        ...errors(400, 401, 403, 415),
      },
    }),
    async (c) => {
      const principal = requirePrincipal(c);
      const q = c.req.valid('query');
      const contentType = c.req.header('content-type') ?? '';
      const format = contentType.startsWith('text/csv') ? 'csv' : contentType.startsWith('application/json') ? 'json' : null;
      if (!format) throw new AppError('unsupported_media_type', 'Kirim text/csv atau application/json / Send text/csv or application/json');
      const outcome = await importCalendarYear(deps, principal, q, q.year, await c.req.text(), format, q);
      return outcome.applied ? c.json(outcome.result, 200) : c.json(outcome.request, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/calendar/days',
      tags: ['Calendars'],
      summary: 'Add a day to a calendar layer',
      description: 'A national admin’s day applies at once (201); a province’s or a body’s admin’s becomes a change request (202).',
      security: bearerSecurity,
      request: { body: jsonBody(NewDaySchema) },
      responses: { 201: jsonResponse(StoredDaySchema, 'Added'), 202: pending('Asked'), ...errors(400, 401, 403, 409) },
    }),
    async (c) => {
      const outcome = await addCalendarDay(deps, requirePrincipal(c), c.req.valid('json'));
      return outcome.applied ? c.json(toStored(outcome.result.day), 201) : c.json(outcome.request, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/calendar/days/{id}',
      tags: ['Calendars'],
      summary: 'Change a calendar day',
      description: 'A national admin’s change applies at once (200); a province’s or a body’s admin’s becomes a change request (202).',
      security: bearerSecurity,
      request: {
        params: IdParam,
        body: jsonBody(
          z.strictObject({
            date: z.string().max(10).optional(),
            kind: z.enum(KINDS).optional(),
            name: z.string().trim().min(1).max(200).optional(),
            provisional: z.boolean().optional(),
            reason: ReasonField,
          }),
        ),
      },
      responses: { 200: jsonResponse(StoredDaySchema, 'Changed'), 202: pending('Asked'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const outcome = await changeCalendarDay(deps, requirePrincipal(c), c.req.valid('param').id, c.req.valid('json'));
      return outcome.applied ? c.json(toStored(outcome.result), 200) : c.json(outcome.request, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/calendar/days/{id}',
      tags: ['Calendars'],
      summary: 'Remove a calendar day',
      description: 'A national admin’s removal applies at once (204); a province’s or a body’s admin’s becomes a change request (202).',
      security: bearerSecurity,
      request: { params: IdParam, query: z.strictObject({ reason: ReasonField }) },
      responses: { 204: { description: 'Removed' }, 202: pending('Asked'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const outcome = await removeCalendarDay(deps, requirePrincipal(c), c.req.valid('param').id, c.req.valid('query').reason);
      return outcome.applied ? c.body(null, 204) : c.json(outcome.request, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/calendar/change-requests',
      tags: ['Calendars'],
      summary: 'Change requests to province and body calendar layers, newest first',
      description: 'National admins see every layer’s; a province’s or a body’s admin sees its own layers’. Default: pending ones.',
      security: bearerSecurity,
      request: {
        query: z.strictObject({
          status: z
            .enum(['pending', 'approved', 'rejected', 'all'])
            .default('pending')
            .openapi({ description: 'Which requests: pending (default), approved, rejected or all' }),
          ...pagingQuery,
        }),
      },
      responses: {
        200: jsonResponse(
          z.object({
            items: z.array(ChangeRequestSchema),
            total: z.number().int(),
            page: z.number().int(),
            perPage: z.number().int(),
          }),
          'One page of requests',
        ),
        ...errors(400, 401, 403),
      },
    }),
    async (c) => c.json(await requests.listRequests(deps.db, requirePrincipal(c), c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/calendar/change-requests/{id}',
      tags: ['Calendars'],
      summary: 'One calendar change request',
      security: bearerSecurity,
      request: { params: IdParam },
      responses: { 200: jsonResponse(ChangeRequestSchema, 'The request'), ...errors(400, 401, 404) },
    }),
    async (c) => c.json(requests.toRequestJson(await requests.getRequest(deps.db, requirePrincipal(c), c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/calendar/change-requests/{id}/approve',
      tags: ['Calendars'],
      summary: 'Approve a calendar change request (national admins): it applies and moves the open deadlines it touches',
      description:
        'In one transaction: the change applies, every open deadline it moves gets a `deadline_moved` event on its report’s ' +
        'timeline naming the request, and the requester is told. A request is decided once (409 after). A change that can ' +
        'no longer apply (its day was changed or removed meanwhile, or its date is taken) is a 409 and stays pending.',
      security: bearerSecurity,
      request: {
        params: IdParam,
        body: jsonBody(
          z
            .strictObject({
              note: z.string().trim().max(1000).optional().openapi({ description: 'The approver’s note, kept on the request' }),
            })
            .openapi('ApproveCalendarChange'),
        ),
      },
      responses: { 200: jsonResponse(ChangeRequestSchema, 'Approved and applied'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { note } = c.req.valid('json');
      return c.json(await approveChangeRequest(deps, requirePrincipal(c), c.req.valid('param').id, note || null), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/calendar/change-requests/{id}/reject',
      tags: ['Calendars'],
      summary: 'Reject a calendar change request (national admins), with a reason the requester is told',
      security: bearerSecurity,
      request: {
        params: IdParam,
        body: jsonBody(
          z
            .strictObject({
              reason: z.string().trim().min(3).max(1000).openapi({ description: 'Why it is rejected; the requester is told' }),
            })
            .openapi('RejectCalendarChange'),
        ),
      },
      responses: { 200: jsonResponse(ChangeRequestSchema, 'Rejected; nothing changes'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await rejectChangeRequest(deps, requirePrincipal(c), c.req.valid('param').id, c.req.valid('json').reason), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/bodies/{id}/calendar',
      tags: ['Calendars'],
      summary: 'A body’s effective working calendar for a year: national, province and body days merged',
      request: { params: IdParam, query: z.strictObject({ year: z.coerce.number().int().min(1900).max(2200) }) },
      responses: {
        200: jsonResponse(
          z.object({ timeZone: z.string(), layers: z.array(z.string()), days: z.array(DaySchema) }),
          'Days off and extra working days',
        ),
        ...errors(400, 404),
      },
    }),
    async (c) => {
      const { year } = c.req.valid('query');
      const { calendar, timeZone, scopeKeys } = await service.effectiveCalendar(deps.db, c.req.valid('param').id, year, year);
      return c.json({ timeZone, layers: scopeKeys, days: calendar.days() }, 200);
    },
  );
}

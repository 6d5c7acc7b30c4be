import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../errors.ts';
import { requirePrincipal } from '../../http/auth.ts';
import type { App, AppDeps } from '../../http/context.ts';
import { bearerSecurity, errors, jsonBody, jsonResponse } from '../../http/openapi.ts';
import { addCalendarDay, changeCalendarDay, importCalendarYear, removeCalendarDay } from '../sla/calendar-changes.service.ts';
import * as service from './calendars.service.ts';

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
  })
  .openapi('NewCalendarDay');

const IdParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'id', in: 'path' } }),
});

function toStored(row: Awaited<ReturnType<typeof service.createDay>>) {
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
      description: 'A format error names the line. The year’s source (e.g. the SKB) and status go in the query.',
      security: bearerSecurity,
      'x-body-limit': 'text',
      request: {
        query: ScopeQuery.extend({
          status: z.enum(['decreed', 'provisional']).default('decreed'),
          source: z.string().trim().min(3).max(500),
          note: z.string().max(1000).optional(),
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
        ...errors(400, 401, 403, 415),
      },
    }),
    async (c) => {
      const principal = requirePrincipal(c);
      const q = c.req.valid('query');
      const contentType = c.req.header('content-type') ?? '';
      const format = contentType.startsWith('text/csv') ? 'csv' : contentType.startsWith('application/json') ? 'json' : null;
      if (!format) throw new AppError('unsupported_media_type', 'Kirim text/csv atau application/json / Send text/csv or application/json');
      return c.json(await importCalendarYear(deps, principal, q, q.year, await c.req.text(), format, q), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/calendar/days',
      tags: ['Calendars'],
      summary: 'Add a day to a calendar layer',
      security: bearerSecurity,
      request: { body: jsonBody(NewDaySchema) },
      responses: { 201: jsonResponse(StoredDaySchema, 'Added'), ...errors(400, 401, 403, 409) },
    }),
    async (c) => {
      return c.json(toStored(await addCalendarDay(deps, requirePrincipal(c), c.req.valid('json'))), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/calendar/days/{id}',
      tags: ['Calendars'],
      summary: 'Change a calendar day',
      security: bearerSecurity,
      request: {
        params: IdParam,
        body: jsonBody(
          z.strictObject({
            date: z.string().max(10).optional(),
            kind: z.enum(KINDS).optional(),
            name: z.string().trim().min(1).max(200).optional(),
            provisional: z.boolean().optional(),
          }),
        ),
      },
      responses: { 200: jsonResponse(StoredDaySchema, 'Changed'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      return c.json(toStored(await changeCalendarDay(deps, requirePrincipal(c), c.req.valid('param').id, c.req.valid('json'))), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/calendar/days/{id}',
      tags: ['Calendars'],
      summary: 'Remove a calendar day',
      security: bearerSecurity,
      request: { params: IdParam },
      responses: { 204: { description: 'Removed' }, ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      await removeCalendarDay(deps, requirePrincipal(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
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

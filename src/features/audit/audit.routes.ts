import { createRoute, z } from '@hono/zod-openapi';
import { normalizeTrackingId } from '../../domain/tracking-id.ts';
import { requireRole } from '../../http/auth.ts';
import type { App, AppDeps } from '../../http/context.ts';
import { bearerSecurity, errors, jsonResponse, pagingQuery } from '../../http/openapi.ts';
import { AUDIT_READERS, listIdentityAccess } from './audit.service.ts';

const IdentityAccessEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string().openapi({ description: 'When the identity was shown (ISO-8601, UTC)', example: '2026-11-24T03:00:00.000Z' }),
    admin: z.object({ id: z.number().int(), name: z.string() }).openapi({ description: 'The national admin who looked' }),
    report: z.object({ trackingId: z.string().openapi({ example: '7KMX3PRA' }) }),
    reason: z.string().openapi({ description: 'The reason the admin gave' }),
  })
  .openapi('IdentityAccessEntry');

const IdentityAccessListSchema = z
  .object({
    items: z.array(IdentityAccessEntrySchema),
    total: z.number().int().openapi({ description: 'Entries matching the filters' }),
    page: z.number().int(),
    perPage: z.number().int(),
  })
  .openapi('IdentityAccessList');

const NUMBER = 'Harus angka / Must be a number';
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const BOUND_MESSAGE =
  'Tanggal (2026-11-24, WIB) atau waktu ISO dengan zona (2026-11-24T09:00:00+07:00) / ' +
  'A date (2026-11-24, in WIB) or an ISO instant with an offset (2026-11-24T09:00:00+07:00)';

/**
 * A bound of the period: a calendar date in WIB, the national reference time (the whole day), or
 * an exact instant. `end` says which end: a date as the end of a period includes that whole day.
 */
function periodBound(end: 'from' | 'to') {
  return z
    .string({ error: BOUND_MESSAGE })
    .trim()
    .transform((v, ctx) => {
      let at: Date | null = null;
      if (DATE.test(v)) {
        const utc = new Date(`${v}T00:00:00Z`);
        // a real day ("2026-02-30" is not), from 00:00 WIB
        if (!Number.isNaN(utc.getTime()) && utc.toISOString().slice(0, 10) === v) {
          const day = new Date(`${v}T00:00:00+07:00`);
          at = end === 'from' ? day : new Date(day.getTime() + 24 * 3600_000);
        }
      } else if (INSTANT.test(v)) {
        const instant = new Date(v);
        if (!Number.isNaN(instant.getTime())) at = end === 'from' ? instant : new Date(instant.getTime() + 1);
      }
      if (!at || at.getUTCFullYear() < 1900 || at.getUTCFullYear() > 9999) {
        ctx.addIssue({ code: 'custom', message: BOUND_MESSAGE });
        return z.NEVER;
      }
      return at;
    });
}

const IdentityAccessQuerySchema = z
  .strictObject({
    trackingId: z
      .string({ error: 'Harus berupa teks / Must be text' })
      .transform((v, ctx) => {
        const id = normalizeTrackingId(v);
        if (!id) {
          ctx.addIssue({ code: 'custom', message: 'Bukan kode pelacakan (mis. 7KMX-3PRA) / Not a tracking ID (e.g. 7KMX-3PRA)' });
          return z.NEVER;
        }
        return id;
      })
      .optional()
      .openapi({ description: 'Only looks at this report', example: '7KMX-3PRA' }),
    adminId: z.coerce
      .number({ error: NUMBER })
      .int('Harus bilangan bulat / Must be a whole number')
      .positive('Harus lebih dari 0 / Must be more than 0')
      .optional()
      .openapi({ description: 'Only looks by this national admin (user id)' }),
    from: periodBound('from').optional().openapi({ description: 'From this date (WIB) or instant on', example: '2026-11-01' }),
    to: periodBound('to').optional().openapi({ description: 'Up to and including this date (WIB) or instant', example: '2026-11-30' }),
    ...pagingQuery,
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, {
    message: 'Awal periode harus sebelum akhirnya / The period must start before it ends',
    path: ['to'],
  });

/** The audit log of looks at reporters' identities: for national admins and monitors only. */
export function registerAuditRoutes(app: App, deps: AppDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/audit/identity-access',
      tags: ['Audit'],
      summary: 'National admins and monitors: every look a national admin took at the identity behind a report, newest first',
      description:
        'Each entry: when, which national admin, which report, and the reason given. Written in the same transaction ' +
        'as the look itself (`POST /api/v1/reports/{trackingId}/identity`), and append-only.',
      security: bearerSecurity,
      request: { query: IdentityAccessQuerySchema },
      responses: { 200: jsonResponse(IdentityAccessListSchema, 'A page of the log'), ...errors(400, 401, 403) },
    }),
    async (c) => {
      const principal = requireRole(c, AUDIT_READERS);
      const q = c.req.valid('query');
      const page = await listIdentityAccess(deps, principal, {
        trackingId: q.trackingId,
        adminId: q.adminId,
        from: q.from,
        before: q.to,
        page: q.page,
        perPage: q.perPage,
      });
      c.header('Cache-Control', 'private, no-store');
      return c.json(page, 200);
    },
  );
}

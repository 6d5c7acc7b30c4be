import { createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { requireRole } from '../../http/auth.ts';
import type { App, AppDeps, AppEnv } from '../../http/context.ts';
import { bearerSecurity, errors, jsonBody, jsonResponse, pagingQuery } from '../../http/openapi.ts';
import { ReportListSchema, ReportSchema, TrackingIdParam } from '../reports/reports.schema.ts';
import { CASE_STATUSES, type OmbudsmanStep, type StepInput, listEscalated, performStep } from './ombudsman.service.ts';

const text = (max: number) =>
  z
    .string({ error: (iss) => (iss.code === 'invalid_type' ? 'Wajib diisi (teks) / Required (text)' : undefined) })
    .trim()
    .min(1, 'Wajib diisi / Required')
    .max(max);

const CaseListQuery = z.strictObject({
  status: z
    .enum(CASE_STATUSES, { error: 'open, taken atau closed / open, taken or closed' })
    .optional()
    .openapi({ description: 'open: not yet taken over; taken: taken over, not closed; closed: the Ombudsman closed its case' }),
  ...pagingQuery,
});

/** Each step of the case: its path, what it carries, and whether a body is required. */
const STEPS: { path: string; step: OmbudsmanStep; summary: string; schema: z.ZodObject | null }[] = [
  {
    path: 'take-over',
    step: 'take_over',
    summary: 'Take over an escalated report (once; public on the timeline)',
    schema: null,
  },
  {
    path: 'findings',
    step: 'findings',
    summary: 'Record the findings (after take-over; may be revised until closed)',
    schema: z.strictObject({ findings: text(20_000) }),
  },
  {
    path: 'recommendation',
    step: 'recommendation',
    summary: 'Issue the recommendation (after the findings; may be revised until closed)',
    schema: z.strictObject({ recommendation: text(20_000) }),
  },
  {
    path: 'close',
    step: 'close',
    summary: 'Close the Ombudsman case (needs findings and a recommendation; the report’s own status is unchanged)',
    schema: z.strictObject({
      message: z
        .string({ error: (iss) => (iss.code === 'invalid_type' ? 'Harus berupa teks / Must be text' : undefined) })
        .trim()
        .max(10_000)
        .optional(),
    }),
  },
];

/** Only Ombudsman accounts reach these routes: other roles get 403 before their input is read. */
const ombudsmanOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireRole(c, ['ombudsman']);
  await next();
};

export function registerOmbudsmanRoutes(app: App, deps: AppDeps): void {
  app.use('/api/v1/ombudsman/*', ombudsmanOnly);
  app.use('/api/v1/reports/:trackingId/ombudsman/*', ombudsmanOnly);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/ombudsman/reports',
      tags: ['Ombudsman'],
      summary: 'The reports escalated to my office (every office’s for Ombudsman RI), newest escalation first',
      security: bearerSecurity,
      request: { query: CaseListQuery },
      responses: { 200: jsonResponse(ReportListSchema, 'Escalated reports'), ...errors(400, 401, 403) },
    }),
    async (c) => c.json(await listEscalated(deps, requireRole(c, ['ombudsman']), c.req.valid('query')), 200),
  );

  for (const def of STEPS) {
    const route = createRoute({
      method: 'post',
      path: `/api/v1/reports/{trackingId}/ombudsman/${def.path}`,
      tags: ['Ombudsman'],
      summary: def.summary,
      security: bearerSecurity,
      'x-body-limit': 'text',
      request: def.schema
        ? { params: TrackingIdParam, body: def.step === 'close' ? { ...jsonBody(def.schema), required: false } : jsonBody(def.schema) }
        : { params: TrackingIdParam },
      responses: { 200: jsonResponse(ReportSchema, 'The report after the step'), ...errors(400, 401, 403, 404, 409) },
    });
    // One handler for the four routes: the route's validator has already checked the body.
    app.openapi(route, (async (c: Context<AppEnv>) => {
      const principal = requireRole(c, ['ombudsman']);
      const { trackingId } = c.req.param() as { trackingId: string };
      const body = def.schema ? (c.req as unknown as { valid(t: 'json'): unknown }).valid('json') : undefined;
      return c.json(await performStep(deps, principal, trackingId, def.step, (body ?? {}) as StepInput), 200);
    }) as never);
  }
}

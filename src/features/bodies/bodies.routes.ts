import { createRoute, z } from '@hono/zod-openapi';
import { requirePrincipal } from '../../http/auth.ts';
import type { MiddlewareHandler } from 'hono';
import type { App, AppDeps, AppEnv } from '../../http/context.ts';
import { bearerSecurity, errors, jsonBody, jsonResponse, pagingQuery } from '../../http/openapi.ts';
import {
  BODY_KINDS,
  TIME_ZONES,
  TOP_KINDS,
  createBody,
  createUnit,
  getManagedBody,
  listManagedBodies,
  renameBody,
  setBodyActive,
} from './bodies.service.ts';

/**
 * The body directory's management face, for national and agency admins. The public, read-only
 * directory is GET /api/v1/bodies (features/reference); this one also lists retired bodies, and
 * an agency admin sees only its own body and the units below it (anything else: 404).
 */

const AdminBodySchema = z
  .object({
    id: z.number().int(),
    code: z.string().openapi({ example: 'pemkot-61.71/dinas-pupr' }),
    name: z.string(),
    kind: z.enum(BODY_KINDS),
    parentId: z.number().int().nullable(),
    parentName: z.string().nullable(),
    path: z.array(z.number().int()).openapi({ description: 'Ids from the top-level body down to this one' }),
    regionCode: z.string().nullable(),
    regionName: z.string().nullable(),
    timeZone: z.enum(TIME_ZONES),
    active: z.boolean().openapi({ description: 'False once retired: not offered for routing or disposition' }),
    createdAt: z.string(),
  })
  .openapi('AdminBody');

const AdminUnitSchema = AdminBodySchema.extend({
  depth: z.number().int().openapi({ description: '1 right under the body, 2 under that, …' }),
  openReports: z.number().int().openapi({ description: 'Open reports the unit holds itself' }),
  activeAccounts: z.number().int().openapi({ description: 'Active accounts of the unit itself' }),
}).openapi('AdminUnit');

const BodyDetailSchema = AdminBodySchema.extend({
  units: z.array(AdminUnitSchema).openapi({ description: 'Every unit below the body, parents before children' }),
  manageable: z.boolean().openapi({ description: 'Whether the caller may rename and retire this body itself' }),
}).openapi('AdminBodyDetail');

const IdParam = z.object({
  id: z.coerce
    .number('Harus angka / Must be a number')
    .int()
    .positive()
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const text = (max: number) => z.string('Harus teks / Must be text').max(max, `Paling banyak ${max} karakter / At most ${max} characters`);

const NewBodySchema = z
  .strictObject({
    code: text(60).openapi({ example: 'pemkab-61.12', description: 'Lower-case letters, digits, dots and hyphens' }),
    name: text(200),
    kind: z.enum(TOP_KINDS, `Salah satu dari / One of: ${TOP_KINDS.join(', ')}`),
    regionCode: text(20).nullable().optional().openapi({
      description: 'Required for a province (a province code, `61`) or a regency or city (`61.71`); the time zone must be the region’s',
    }),
    timeZone: z.enum(TIME_ZONES, `Salah satu dari / One of: ${TIME_ZONES.join(', ')}`),
  })
  .openapi('NewBody');

const NewUnitSchema = z
  .strictObject({
    slug: text(40).openapi({ example: 'bina-marga', description: 'The unit’s code is the parent’s, a slash, and this' }),
    name: text(200),
  })
  .openapi('NewUnit');

const RenameSchema = z.strictObject({ name: text(200) }).openapi('RenameBody');

const ListQuery = z.strictObject({
  q: z.string().trim().max(100).optional().openapi({ description: 'Part of the name' }),
  kind: z
    .enum(BODY_KINDS, `Salah satu dari / One of: ${BODY_KINDS.join(', ')}`)
    .optional()
    .openapi({ description: 'Units only with kind=unit' }),
  regionCode: z
    .string()
    .regex(/^\d{2}(\.\d{2})?$/, 'Kode provinsi atau kabupaten/kota, mis. 61 atau 61.71 / A province or regency code, e.g. 61 or 61.71')
    .optional()
    .openapi({ description: 'A province takes the bodies of its regencies too' }),
  status: z.enum(['active', 'inactive']).optional(),
  ...pagingQuery,
});

const ListSchema = z.object({
  items: z.array(AdminBodySchema),
  total: z.number().int(),
  page: z.number().int(),
  perPage: z.number().int(),
});

/** What an admin reads of the directory is for that admin only. */
const noStore: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header('Cache-Control', 'private, no-store');
};

export function registerBodyAdminRoutes(app: App, deps: AppDeps): void {
  app.use('/api/v1/admin/bodies', noStore);
  app.use('/api/v1/admin/bodies/*', noStore);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/bodies',
      tags: ['Bodies'],
      summary: 'Bodies in the admin’s scope, by name (national admin: all; agency admin: its own body and its units)',
      security: bearerSecurity,
      request: { query: ListQuery },
      responses: { 200: jsonResponse(ListSchema, 'One page of bodies'), ...errors(400, 401, 403) },
    }),
    async (c) => c.json(await listManagedBodies(deps.db, requirePrincipal(c), c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/admin/bodies',
      tags: ['Bodies'],
      summary: 'Add a top-level body (national admins)',
      security: bearerSecurity,
      request: { body: jsonBody(NewBodySchema) },
      responses: { 201: jsonResponse(AdminBodySchema, 'Added'), ...errors(400, 401, 403, 409) },
    }),
    async (c) => c.json(await createBody(deps.db, requirePrincipal(c), c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/bodies/{id}',
      tags: ['Bodies'],
      summary: 'One body in scope, with every unit below it and what each holds',
      security: bearerSecurity,
      request: { params: IdParam },
      responses: { 200: jsonResponse(BodyDetailSchema, 'The body'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => c.json(await getManagedBody(deps.db, requirePrincipal(c), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/admin/bodies/{id}',
      tags: ['Bodies'],
      summary: 'Rename a body (national admins: any; agency admins: the units below their body)',
      security: bearerSecurity,
      request: { params: IdParam, body: jsonBody(RenameSchema) },
      responses: { 200: jsonResponse(AdminBodySchema, 'Renamed'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => c.json((await renameBody(deps.db, requirePrincipal(c), c.req.valid('param').id, c.req.valid('json').name)).body, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/admin/bodies/{id}/units',
      tags: ['Bodies'],
      summary: 'Add a unit under a body or a unit in scope; it takes the parent’s region and time zone',
      security: bearerSecurity,
      request: { params: IdParam, body: jsonBody(NewUnitSchema) },
      responses: { 201: jsonResponse(AdminBodySchema, 'Added'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await createUnit(deps.db, requirePrincipal(c), c.req.valid('param').id, c.req.valid('json')), 201),
  );

  for (const action of ['deactivate', 'activate'] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/api/v1/admin/bodies/{id}/${action}`,
        tags: ['Bodies'],
        summary:
          action === 'deactivate'
            ? 'Retire a body: refused (409) while it or anything below it holds an open report or an active account, or has an active unit'
            : 'Bring a retired body back (a unit only under an active parent)',
        security: bearerSecurity,
        request: { params: IdParam },
        responses: { 200: jsonResponse(AdminBodySchema, 'The body'), ...errors(400, 401, 403, 404, 409) },
      }),
      async (c) => c.json(await setBodyActive(deps.db, requirePrincipal(c), c.req.valid('param').id, action === 'activate'), 200),
    );
  }
}

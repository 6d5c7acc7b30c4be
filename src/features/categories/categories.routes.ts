import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { requirePrincipal } from '../../http/auth.ts';
import type { App, AppDeps, AppEnv } from '../../http/context.ts';
import { bearerSecurity, errors, jsonBody, jsonResponse, pagingQuery } from '../../http/openapi.ts';
import { createCategory, listManagedCategories, updateCategory } from './categories.service.ts';

/**
 * The category tree's management face. The public list of what a report may be given is
 * GET /api/v1/categories (features/reference); this one also lists retired categories, says
 * which the caller may edit, and for an agency admin includes its body's own sub-categories.
 */

const AdminCategorySchema = z
  .object({
    id: z.number().int(),
    code: z.string().openapi({ example: 'pemkot-61.71:infrastruktur.parit-kota' }),
    parentId: z.number().int().nullable(),
    parent: z.object({ id: z.number().int(), code: z.string(), name: z.string(), nameEn: z.string() }).nullable(),
    body: z
      .object({ id: z.number().int(), name: z.string() })
      .nullable()
      .openapi({ description: 'The body whose own sub-category this is; null for a national one' }),
    name: z.string().openapi({ description: 'In Bahasa Indonesia' }),
    nameEn: z.string(),
    active: z.boolean(),
    offered: z.boolean().openapi({ description: 'Offered to reports now: active, under an active parent' }),
    editable: z.boolean().openapi({ description: 'Whether the caller may rename and retire it' }),
  })
  .openapi('AdminCategory');

const text = (max: number) => z.string('Harus teks / Must be text').max(max, `Paling banyak ${max} karakter / At most ${max} characters`);

const NewCategorySchema = z
  .strictObject({
    code: text(40).openapi({
      example: 'parit-kota',
      description:
        'A slug: the stored code is `<slug>` for a national top-level category, `<parent>.<slug>` below one, and ' +
        '`<body code>:<parent>.<slug>` for a body’s own',
    }),
    parentId: z
      .number('Harus angka / Must be a number')
      .int()
      .positive()
      .nullable()
      .optional()
      .openapi({ description: 'A national top-level category; required for an agency admin’s sub-category' }),
    name: text(120).openapi({ description: 'In Bahasa Indonesia' }),
    nameEn: text(120),
  })
  .openapi('NewCategory');

const PatchSchema = z
  .strictObject({
    name: text(120).optional(),
    nameEn: text(120).optional(),
    active: z.boolean('Harus true atau false / Must be true or false').optional().openapi({ description: 'false retires it' }),
  })
  .openapi('CategoryPatch');

const IdParam = z.object({
  id: z.coerce
    .number('Harus angka / Must be a number')
    .int()
    .positive()
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const ListQuery = z.strictObject({
  q: z.string().trim().max(100).optional().openapi({ description: 'Part of a name or the code' }),
  owner: z
    .enum(['national', 'own'])
    .optional()
    .openapi({ description: 'national: the national tree only; own: the agency admin’s body’s' }),
  status: z.enum(['active', 'inactive']).optional(),
  ...pagingQuery,
});

const noStore: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header('Cache-Control', 'private, no-store');
};

export function registerCategoryAdminRoutes(app: App, deps: AppDeps): void {
  app.use('/api/v1/admin/categories', noStore);
  app.use('/api/v1/admin/categories/*', noStore);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/categories',
      tags: ['Categories'],
      summary: 'The category tree as an admin manages it, in tree order (an agency admin: the national tree and its body’s own)',
      security: bearerSecurity,
      request: { query: ListQuery },
      responses: {
        200: jsonResponse(
          z.object({ items: z.array(AdminCategorySchema), total: z.number().int(), page: z.number().int(), perPage: z.number().int() }),
          'One page of categories',
        ),
        ...errors(400, 401, 403),
      },
    }),
    async (c) => c.json(await listManagedCategories(deps.db, requirePrincipal(c), c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/admin/categories',
      tags: ['Categories'],
      summary:
        'Add a category: national admins a national one (top-level or under one); agency admins a sub-category of their body’s own under a national top-level one',
      description: 'The tree is two levels deep: a parent is always a national top-level category.',
      security: bearerSecurity,
      request: { body: jsonBody(NewCategorySchema) },
      responses: { 201: jsonResponse(AdminCategorySchema, 'Added'), ...errors(400, 401, 403, 409) },
    }),
    async (c) => c.json(await createCategory(deps.db, requirePrincipal(c), c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/admin/categories/{id}',
      tags: ['Categories'],
      summary: 'Rename, retire or restore a category the caller may edit',
      description:
        'A retired category, or one under a retired parent, is no longer offered to new reports or corrections; reports filed ' +
        'under it keep it. An agency admin may change only its body’s own (a national one: 403; another body’s: 404).',
      security: bearerSecurity,
      request: { params: IdParam, body: jsonBody(PatchSchema) },
      responses: { 200: jsonResponse(AdminCategorySchema, 'The category as it is now'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => c.json((await updateCategory(deps.db, requirePrincipal(c), c.req.valid('param').id, c.req.valid('json'))).after, 200),
  );
}

import { createRoute, z } from '@hono/zod-openapi';
import type { App, AppDeps } from '../../http/context.ts';
import { errors, jsonResponse } from '../../http/openapi.ts';
import * as service from './reference.service.ts';

const RegionSchema = z
  .object({ code: z.string(), name: z.string(), level: z.number().int(), parentCode: z.string().nullable() })
  .openapi('Region');
const BodySchema = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    kind: z.string(),
    parentId: z.number().int().nullable(),
    regionCode: z.string().nullable(),
    timeZone: z.string(),
  })
  .openapi('Body');
const CategorySchema = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    nameEn: z.string(),
    parentId: z.number().int().nullable(),
    bodyId: z.number().int().nullable().openapi({ description: 'The body whose own sub-category this is; null for a national one' }),
  })
  .openapi('Category');

export function registerReferenceRoutes(app: App, deps: AppDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/regions',
      tags: ['Reference'],
      summary: 'Regions (Kemendagri codes): provinces, or the children of `parent`',
      request: {
        query: z.strictObject({
          parent: z
            .string()
            .regex(/^\d{2}(\.\d{2}(\.\d{2})?)?$/, 'Kode wilayah / Region code')
            .optional()
            .openapi({ example: '61.71' }),
        }),
      },
      responses: { 200: jsonResponse(z.array(RegionSchema), 'Regions, by code'), ...errors(400) },
    }),
    async (c) => c.json(await service.listRegions(deps.db, c.req.valid('query').parent), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/bodies',
      tags: ['Reference'],
      summary: 'The body directory: search by name, or list the units of a body',
      request: {
        query: z.strictObject({
          q: z.string().trim().max(100).optional(),
          parentId: z.coerce.number().int().positive().optional(),
          regionCode: z.string().max(13).optional(),
          kind: z.string().max(30).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
      },
      responses: { 200: jsonResponse(z.array(BodySchema), 'Bodies'), ...errors(400) },
    }),
    async (c) => c.json(await service.listBodies(deps.db, c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/categories',
      tags: ['Reference'],
      summary: 'The category tree (flat; parents before children): the categories a report may be given now',
      description:
        'National categories, active and under an active parent; with `bodyId`, that body’s own sub-categories too ' +
        '(which its staff may give the reports it handles).',
      request: { query: z.strictObject({ bodyId: z.coerce.number().int().positive().optional() }) },
      responses: { 200: jsonResponse(z.array(CategorySchema), 'Categories'), ...errors(400) },
    }),
    async (c) => c.json(await service.listCategories(deps.db, c.req.valid('query').bodyId ?? null), 200),
  );
}

import { createRoute, z } from '@hono/zod-openapi';
import type { App, AppDeps } from '../../http/context.ts';
import { errors, jsonResponse } from '../../http/openapi.ts';

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
  .object({ id: z.number().int(), code: z.string(), name: z.string(), nameEn: z.string(), parentId: z.number().int().nullable() })
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
    async (c) => {
      const { parent } = c.req.valid('query');
      const rows = await deps.db.query<{ code: string; name: string; level: number; parent_code: string | null }>(
        parent
          ? 'SELECT code, name, level, parent_code FROM regions WHERE parent_code = $1 ORDER BY code'
          : 'SELECT code, name, level, parent_code FROM regions WHERE level = 1 ORDER BY code',
        parent ? [parent] : [],
      );
      return c.json(rows.map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code })), 200);
    },
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
    async (c) => {
      const q = c.req.valid('query');
      const rows = await deps.db.query<{
        id: number;
        code: string;
        name: string;
        kind: string;
        parent_id: number | null;
        region_code: string | null;
        time_zone: string;
      }>(
        `SELECT id, code, name, kind, parent_id, region_code, time_zone FROM bodies
          WHERE active
            AND ($1::text IS NULL OR name ILIKE '%' || $1 || '%')
            AND ($2::bigint IS NULL OR parent_id = $2)
            AND ($3::text IS NULL OR region_code = $3)
            AND ($4::text IS NULL OR kind = $4)
            AND ($2::bigint IS NOT NULL OR $4::text IS NOT NULL OR kind <> 'unit')
          ORDER BY name LIMIT $5`,
        [q.q ?? null, q.parentId ?? null, q.regionCode ?? null, q.kind ?? null, q.limit],
      );
      return c.json(
        rows.map((b) => ({
          id: b.id,
          code: b.code,
          name: b.name,
          kind: b.kind,
          parentId: b.parent_id,
          regionCode: b.region_code,
          timeZone: b.time_zone,
        })),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/categories',
      tags: ['Reference'],
      summary: 'The category tree (flat; parents before children)',
      responses: { 200: jsonResponse(z.array(CategorySchema), 'Categories') },
    }),
    async (c) => {
      const rows = await deps.db.query<{ id: number; code: string; name_id: string; name_en: string; parent_id: number | null }>(
        'SELECT id, code, name_id, name_en, parent_id FROM categories ORDER BY parent_id NULLS FIRST, code',
      );
      return c.json(rows.map((r) => ({ id: r.id, code: r.code, name: r.name_id, nameEn: r.name_en, parentId: r.parent_id })), 200);
    },
  );
}

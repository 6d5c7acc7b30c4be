import { createRoute, z } from '@hono/zod-openapi';
import { requirePrincipal } from '../../http/auth.ts';
import type { App, AppDeps } from '../../http/context.ts';
import { bearerSecurity, errors, jsonBody, jsonResponse, pagingQuery } from '../../http/openapi.ts';
import * as service from './notifications.service.ts';

const NotificationSchema = z
  .object({
    id: z.number().int(),
    template: z.string().openapi({ example: 'deadline.reminder' }),
    title: z.string(),
    body: z.string(),
    trackingId: z.string().nullable(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .openapi('Notification');

const NotificationListSchema = z
  .object({
    items: z.array(NotificationSchema),
    total: z.number().int().openapi({ description: 'Matching the filter' }),
    page: z.number().int(),
    perPage: z.number().int(),
    unreadCount: z.number().int().openapi({ description: 'All of the caller’s unread notifications' }),
  })
  .openapi('NotificationList');

const ListQuery = z.strictObject({
  unread: z.enum(['true', 'false']).optional().openapi({ description: 'true: unread only' }),
  ...pagingQuery,
});

const IdParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const PreferencesSchema = z
  .object({
    email: z.object({
      report_updates: z.boolean().openapi({ description: 'A report of mine moved on (reporters), or one reached my body or unit (staff)' }),
      deadlines: z.boolean().openapi({ description: 'Reminders before deadlines, and missed deadlines' }),
      ombudsman: z.boolean().openapi({ description: 'The Ombudsman’s steps on a report' }),
    }),
    alwaysByEmail: z
      .array(z.string())
      .openapi({ description: 'Sent by email whatever the choice: sign-in codes, reset links, password and contact changes' }),
  })
  .openapi('NotificationPreferences');

const PreferencesChangeSchema = z
  .strictObject({
    email: z.strictObject({
      report_updates: z.boolean().optional(),
      deadlines: z.boolean().optional(),
      ombudsman: z.boolean().optional(),
    }),
  })
  .openapi('NotificationPreferencesChange');

/** The caller's own in-app notifications. Every query names the caller's user id; nobody reads another's. */
export function registerNotificationRoutes(app: App, deps: AppDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/notifications',
      tags: ['Notifications'],
      summary: 'My notifications, newest first, with the number still unread',
      security: bearerSecurity,
      request: { query: ListQuery },
      responses: { 200: jsonResponse(NotificationListSchema, 'A page of notifications'), ...errors(400, 401) },
    }),
    async (c) => c.json(await service.listNotifications(deps, requirePrincipal(c), c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/notifications/read-all',
      tags: ['Notifications'],
      summary: 'Mark all my notifications read',
      security: bearerSecurity,
      responses: { 200: jsonResponse(z.object({ marked: z.number().int() }), 'How many were unread'), ...errors(401) },
    }),
    async (c) => c.json(await service.markAllRead(deps, requirePrincipal(c)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/notifications/{id}/read',
      tags: ['Notifications'],
      summary: 'Mark one of my notifications read',
      description: 'Marking it again keeps the first reading time. Another user’s notification is 404.',
      security: bearerSecurity,
      request: { params: IdParam },
      responses: { 200: jsonResponse(NotificationSchema, 'The notification, read'), ...errors(400, 401, 404) },
    }),
    async (c) => c.json(await service.markRead(deps, requirePrincipal(c), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/me/notification-preferences',
      tags: ['Notifications'],
      summary: 'Which messages I get by email (in-app ones always arrive)',
      security: bearerSecurity,
      responses: { 200: jsonResponse(PreferencesSchema, 'My choices'), ...errors(401) },
    }),
    async (c) => c.json(await service.getEmailPreferences(deps, requirePrincipal(c)), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/me/notification-preferences',
      tags: ['Notifications'],
      summary: 'Choose which messages I get by email; a group left out keeps its setting',
      security: bearerSecurity,
      request: { body: jsonBody(PreferencesChangeSchema) },
      responses: { 200: jsonResponse(PreferencesSchema, 'My choices, changed'), ...errors(400, 401) },
    }),
    async (c) => c.json(await service.setEmailPreferences(deps, requirePrincipal(c), c.req.valid('json').email), 200),
  );
}

import type { AppDeps } from '../../deps.ts';
import type { Principal } from '../../domain/principal.ts';
import { AppError } from '../../errors.ts';
import * as repository from './notifications.repository.ts';

/** The caller's own in-app notifications. Every query names the caller's user id; nobody reads another's. */

function toNotification(row: repository.NotificationRow) {
  return {
    id: row.id,
    template: row.template,
    title: row.title,
    body: row.body,
    trackingId: row.tracking_id,
    createdAt: new Date(row.created_at).toISOString(),
    readAt: row.read_at ? new Date(row.read_at).toISOString() : null,
  };
}

export async function listNotifications(
  deps: AppDeps,
  principal: Principal,
  q: { unread?: 'true' | 'false'; page: number; perPage: number },
) {
  const { rows, total, unread } = await repository.selectNotifications(deps.db, principal.userId, {
    unreadOnly: q.unread === 'true',
    limit: q.perPage,
    offset: (q.page - 1) * q.perPage,
  });
  return { items: rows.map(toNotification), total, page: q.page, perPage: q.perPage, unreadCount: unread };
}

export async function markAllRead(deps: AppDeps, principal: Principal): Promise<{ marked: number }> {
  return { marked: await repository.markAllNotificationsRead(deps.db, principal.userId, deps.now()) };
}

/** Marking it again keeps the first reading time; another user's notification is not found. */
export async function markRead(deps: AppDeps, principal: Principal, id: number) {
  const row = await repository.markNotificationRead(deps.db, principal.userId, id, deps.now());
  if (!row) throw new AppError('not_found', 'Pemberitahuan tidak ditemukan / Notification not found');
  return toNotification(row);
}

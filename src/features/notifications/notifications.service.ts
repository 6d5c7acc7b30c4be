import type { AppDeps } from '../../deps.ts';
import type { Principal } from '../../domain/principal.ts';
import { AppError } from '../../errors.ts';
import * as repository from './notifications.repository.ts';
import { EMAIL_GROUPS, type EmailGroup } from './outbox.ts';

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

export type EmailPreferences = Record<EmailGroup, boolean>;

function toPreferences(optOut: string[]): { email: EmailPreferences; alwaysByEmail: string[] } {
  const email = Object.fromEntries(EMAIL_GROUPS.map((g) => [g, !optOut.includes(g)])) as EmailPreferences;
  return { email, alwaysByEmail: ['account'] };
}

/** Which messages the caller gets by email. In-app notifications always arrive; security messages always go by email. */
export async function getEmailPreferences(deps: AppDeps, principal: Principal) {
  return toPreferences(await repository.selectEmailOptOut(deps.db, principal.userId));
}

/** Changes some of them; a group left out keeps its setting. */
export async function setEmailPreferences(deps: AppDeps, principal: Principal, changes: Partial<EmailPreferences>) {
  const current = new Set(await repository.selectEmailOptOut(deps.db, principal.userId));
  for (const group of EMAIL_GROUPS) {
    if (changes[group] === false) current.add(group);
    else if (changes[group] === true) current.delete(group);
  }
  return toPreferences(await repository.updateEmailOptOut(deps.db, principal.userId, [...current].sort()));
}

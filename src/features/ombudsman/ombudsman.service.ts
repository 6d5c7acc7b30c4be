import type { Queryable } from '../../db/db.ts';
import { type OmbudsmanStep, ombudsmanStepRefusal } from '../../domain/ombudsman.ts';
import { normalizeTrackingId } from '../../domain/tracking-id.ts';
import type { Visibility } from '../../domain/workflow.ts';
import { AppError } from '../../errors.ts';
import type { AppDeps } from '../../deps.ts';
import type { Principal } from '../../domain/principal.ts';
import { notifyEvent } from '../notifications/lifecycle.ts';
import { type Sql, query, rawSql, sql } from '../../db/sql.ts';
import { type ReaderKind, staffScope } from '../reports/access.ts';
import * as repo from '../reports/reports.repository.ts';
import { insertEvent } from '../timeline/timeline.repository.ts';
import { type ReportJson, toReportJson, viewReport } from '../reports/reports.service.ts';

/**
 * The Ombudsman's workspace: the reports escalated to an office (or, for Ombudsman RI, to any
 * office), and the steps of its own handling — take over, findings, recommendation, close.
 * The case is a flag beside the report's lifecycle: no step here changes the report's status,
 * and the handling body keeps the report (and sees the case in the report's `ombudsman` block).
 */

export const CASE_STATUSES = ['open', 'taken', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export type { OmbudsmanStep };

export interface StepInput {
  findings?: string;
  recommendation?: string;
  message?: string;
}

export interface CaseListFilters {
  status?: CaseStatus;
  page: number;
  perPage: number;
}

/** An Ombudsman office reads as an overseer: names of staff, never an anonymous reporter's identity. */
const READER: ReaderKind = 'overseer';

const notFound = () => new AppError('not_found', 'Laporan tidak ditemukan / Report not found');
const refused = (message: string) => new AppError('illegal_transition', message);

/** The office's scope as a SQL condition; any other role is refused before anything is read. */
function officeScope(principal: Principal): Sql {
  const scope = principal.role === 'ombudsman' ? staffScope(principal) : null;
  if (!scope) throw new AppError('forbidden', 'Hanya untuk Ombudsman / Ombudsman only');
  return scope;
}

const CASE_FILTERS: Record<CaseStatus, string> = {
  open: 'r.ombudsman_taken_at IS NULL AND r.ombudsman_closed_at IS NULL',
  taken: 'r.ombudsman_taken_at IS NOT NULL AND r.ombudsman_closed_at IS NULL',
  closed: 'r.ombudsman_closed_at IS NOT NULL',
};

/** The reports escalated to my office (every office's, for Ombudsman RI), newest escalation first. */
export async function listEscalated(deps: AppDeps, principal: Principal, filters: CaseListFilters) {
  const where: Sql[] = [officeScope(principal)];
  if (filters.status) where.push(rawSql(CASE_FILTERS[filters.status]));
  const { rows, total } = await repo.listReportViews(deps.db, READER, {
    where,
    orderBy: 'newestEscalation',
    limit: filters.perPage,
    offset: (filters.page - 1) * filters.perPage,
  });
  const attachments = await repo.selectAttachmentsOf(
    deps.db,
    READER,
    rows.map((r) => r.id),
  );
  const items = rows.map((row) => toReportJson(row, READER, principal, attachments.get(row.id) ?? []));
  return { items, total, page: filters.page, perPage: filters.perPage };
}

interface LockedCase {
  id: number;
  tracking_id: string;
  title: string;
  body_id: number | null;
  ombudsman_body_id: number | null;
  ombudsman_taken_at: Date | null;
  ombudsman_findings: string | null;
  ombudsman_recommendation: string | null;
  ombudsman_closed_at: Date | null;
}

/**
 * The escalated report, locked for the rest of the transaction, if it is in the office's scope.
 * Otherwise: 409 for a report anyone may read that was simply never escalated (the public view
 * already says so), 404 for everything else, so a report outside the office reveals nothing.
 */
async function lockCase(tx: Queryable, principal: Principal, trackingId: string): Promise<LockedCase> {
  const rows = await query<LockedCase>(
    tx,
    sql`SELECT r.id, r.tracking_id, r.title, r.body_id, r.ombudsman_body_id, r.ombudsman_taken_at,
               r.ombudsman_findings, r.ombudsman_recommendation, r.ombudsman_closed_at
          FROM reports r
         WHERE r.tracking_id = ${trackingId} AND ${officeScope(principal)}
           FOR UPDATE OF r`,
  );
  if (rows[0]) return rows[0];
  const other = await tx.query<{ escalated: boolean; is_public: boolean }>(
    'SELECT r.escalated_at IS NOT NULL AS escalated, r.is_public FROM reports r WHERE r.tracking_id = $1',
    [trackingId],
  );
  if (other[0] && !other[0].escalated && other[0].is_public) {
    throw refused(
      'Laporan ini belum dieskalasi ke Ombudsman (belum lewat 60 hari tanpa penyelesaian) / ' +
        'This report has not been escalated to the Ombudsman (not 60 days without completion)',
    );
  }
  throw notFound();
}

/** Why this step cannot happen now, or null (`domain/ombudsman.ts`, the same rule `availableActions` lists by). */
function refusal(c: LockedCase, step: OmbudsmanStep): string | null {
  return ombudsmanStepRefusal(
    {
      takenAt: c.ombudsman_taken_at,
      findings: c.ombudsman_findings,
      recommendation: c.ombudsman_recommendation,
      closedAt: c.ombudsman_closed_at,
    },
    step,
  );
}

interface StepPlan {
  /** What changes on the report besides updatedAt. */
  columns: Omit<repo.ReportPatch, 'updatedAt'>;
  event: { type: string; visibility: Visibility; message: string | null; data: Record<string, unknown> };
}

function requireText(value: string | undefined, field: string): string {
  const text = value?.trim();
  if (!text) throw new AppError('invalid_input', 'Input tidak valid / Invalid input', { [field]: 'Wajib diisi / Required' });
  return text;
}

function planStep(c: LockedCase, principal: Principal, step: OmbudsmanStep, input: StepInput, now: Date): StepPlan {
  switch (step) {
    case 'take_over':
      // Public: people should see that the Ombudsman has taken the report up.
      return {
        columns: { ombudsmanTakenAt: now, ombudsmanOfficerId: principal.userId },
        event: { type: 'ombudsman_taken_over', visibility: 'public', message: null, data: { officeId: principal.bodyId } },
      };
    case 'findings': {
      const findings = requireText(input.findings, 'findings');
      // The parties (the reporter and the handling body) read findings as they are written;
      // the public reads them with the close.
      return {
        columns: { ombudsmanFindings: findings },
        event: {
          type: 'ombudsman_findings_recorded',
          visibility: 'reporter',
          message: findings,
          data: { revised: c.ombudsman_findings !== null },
        },
      };
    }
    case 'recommendation': {
      const recommendation = requireText(input.recommendation, 'recommendation');
      return {
        columns: { ombudsmanRecommendation: recommendation },
        event: {
          type: 'ombudsman_recommendation_issued',
          visibility: 'reporter',
          message: recommendation,
          data: { revised: c.ombudsman_recommendation !== null },
        },
      };
    }
    case 'close':
      // The public close carries the final findings and recommendation, which become public with it.
      return {
        columns: { ombudsmanClosedAt: now },
        event: {
          type: 'ombudsman_closed',
          visibility: 'public',
          message: input.message?.trim() || null,
          data: { findings: c.ombudsman_findings, recommendation: c.ombudsman_recommendation },
        },
      };
  }
}

/**
 * One step of the Ombudsman's handling: lock the report, check the office's scope and the order
 * of the case, write the change, its timeline event and the notifications in one transaction.
 */
export async function performStep(
  deps: AppDeps,
  principal: Principal,
  rawTrackingId: string,
  step: OmbudsmanStep,
  input: StepInput = {},
): Promise<ReportJson> {
  officeScope(principal);
  const trackingId = normalizeTrackingId(rawTrackingId);
  if (!trackingId) throw notFound();
  const now = deps.now();
  const reportId = await deps.db.transaction(async (tx) => {
    const c = await lockCase(tx, principal, trackingId);
    const reason = refusal(c, step);
    if (reason) throw refused(reason);
    const plan = planStep(c, principal, step, input, now);
    await repo.updateReport(tx, c.id, { ...plan.columns, updatedAt: now });
    const eventId = await insertEvent(tx, {
      reportId: c.id,
      at: now,
      actorId: principal.userId,
      actorRole: 'ombudsman',
      actorBodyId: principal.bodyId,
      fromStatus: null,
      toStatus: null,
      ...plan.event,
    });
    // The reporter and the handling body hear of it (notifications/lifecycle.ts): what happened
    // and where to look, never the reporter's identity.
    await notifyEvent(
      tx,
      {
        eventId,
        reportId: c.id,
        type: plan.event.type,
        actorId: principal.userId,
        at: now,
        message: plan.event.message,
        data: plan.event.data,
      },
      { publicOrigin: deps.config.publicOrigin },
    );
    return c.id;
  });
  return viewReport(deps.db, READER, principal, reportId);
}

/**
 * The Ombudsman's handling of an escalated report, as pure rules: the steps of a case and when
 * each may happen. A flag beside the report's lifecycle, never a state of it.
 */
export const OMBUDSMAN_STEPS = ['take_over', 'findings', 'recommendation', 'close'] as const;
export type OmbudsmanStep = (typeof OMBUDSMAN_STEPS)[number];

/** How a step is named among a report's `availableActions`. */
export const OMBUDSMAN_ACTIONS = ['ombudsman_take_over', 'ombudsman_findings', 'ombudsman_recommendation', 'ombudsman_close'] as const;
export type OmbudsmanAction = (typeof OMBUDSMAN_ACTIONS)[number];

export interface OmbudsmanCaseState {
  takenAt: Date | null;
  findings: string | null;
  recommendation: string | null;
  closedAt: Date | null;
}

/** Why this step cannot happen now, or null. The order of the checks is the order of the case. */
export function ombudsmanStepRefusal(c: OmbudsmanCaseState, step: OmbudsmanStep): string | null {
  if (c.closedAt !== null) {
    return 'Penanganan Ombudsman atas laporan ini sudah ditutup / The Ombudsman case on this report is already closed';
  }
  if (step === 'take_over') {
    return c.takenAt !== null
      ? 'Laporan ini sudah diambil alih oleh Ombudsman / This report has already been taken over by the Ombudsman'
      : null;
  }
  if (c.takenAt === null) {
    return 'Ambil alih laporan terlebih dahulu / Take the report over first';
  }
  if (step === 'recommendation' && c.findings === null) {
    return 'Catat temuan terlebih dahulu; rekomendasi didasarkan pada temuan / Record the findings first; a recommendation rests on them';
  }
  if (step === 'close') {
    const missing: string[] = [];
    if (c.findings === null) missing.push('temuan / findings');
    if (c.recommendation === null) missing.push('rekomendasi / recommendation');
    if (missing.length > 0) {
      return (
        `Belum dapat ditutup, belum ada: ${missing.map((m) => m.split(' / ')[0]).join(', ')} / ` +
        `Cannot close yet, missing: ${missing.map((m) => m.split(' / ')[1]).join(', ')}`
      );
    }
  }
  return null;
}

/** The steps an Ombudsman office in scope can take on this case now. */
export function availableOmbudsmanActions(c: OmbudsmanCaseState): OmbudsmanAction[] {
  return OMBUDSMAN_STEPS.filter((s) => ombudsmanStepRefusal(c, s) === null).map((s) => `ombudsman_${s}` as OmbudsmanAction);
}

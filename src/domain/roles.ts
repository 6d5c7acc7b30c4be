export const ROLES = [
  'reporter',
  'national_admin',
  'agency_admin',
  'unit_officer',
  'ombudsman',
  'monitor',
  'integrator',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles whose accounts belong to one body (a K/L/D, a unit, or an Ombudsman office). */
export const BODY_ROLES: readonly Role[] = ['agency_admin', 'unit_officer', 'ombudsman', 'integrator'];
export const STAFF_ROLES: readonly Role[] = ['national_admin', 'agency_admin', 'unit_officer', 'ombudsman', 'monitor'];

export const ROLE_LABELS: Record<Role, { id: string; en: string }> = {
  reporter: { id: 'Pelapor', en: 'Reporter' },
  national_admin: { id: 'Admin Nasional', en: 'National admin' },
  agency_admin: { id: 'Admin Instansi', en: 'Agency admin' },
  unit_officer: { id: 'Admin Unit / Pejabat Penghubung', en: 'Unit officer' },
  ombudsman: { id: 'Ombudsman', en: 'Ombudsman' },
  monitor: { id: 'Pemantau', en: 'Monitor' },
  integrator: { id: 'Integrator', en: 'Integrator' },
};

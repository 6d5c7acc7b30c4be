export const ROLES = ['reporter', 'national_admin', 'agency_admin', 'unit_officer', 'ombudsman', 'monitor', 'integrator'] as const;
export type Role = (typeof ROLES)[number];

import type { Role } from './roles.ts';

/** The signed-in caller, resolved once per request from a bearer token or a session cookie. */
export interface Principal {
  userId: number;
  role: Role;
  name: string;
  /** The body a staff account works for (K/L/D, unit or Ombudsman office); null otherwise. */
  bodyId: number | null;
}

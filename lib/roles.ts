// Roles, ranked: each role may do everything the roles below it may.
export const ROLES = ["viewer", "reviewer", "lead", "admin"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, reviewer: 1, lead: 2, admin: 3 };

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

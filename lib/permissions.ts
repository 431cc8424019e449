// What each kind of caller may do, kept as data: the least role a person
// needs, and the scope a pipeline token needs (null: tokens may not).
import { roleAtLeast, type Role } from "./roles";

export const TOKEN_SCOPES = ["register", "request", "read", "deploy", "decide", "policy"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
export const PIPELINE_SCOPES: TokenScope[] = ["register", "request", "read", "deploy"];
/** A personal token reads and decides as its owner; it never registers or deploys. */
export const PERSONAL_SCOPES: TokenScope[] = ["read", "decide"];

export const PERMISSIONS = {
  "models:read": { role: "viewer", scope: "read" },
  "versions:register": { role: "lead", scope: "register" },
  "requests:create": { role: "reviewer", scope: "request" },
  "requests:decide": { role: "reviewer", scope: "decide" },
  "deployments:create": { role: "lead", scope: "deploy" },
  // People only: a rollback is a judgement call with a stated reason.
  "deployments:rollback": { role: "lead", scope: null },
  "audit:read": { role: "lead", scope: null },
  // Not in the default pipeline scopes: a pipeline that may rewrite its own
  // policy could approve itself.
  "policies:write": { role: "lead", scope: "policy" },
  "groups:manage": { role: "lead", scope: null },
  "environments:manage": { role: "lead", scope: null },
  "tokens:manage": { role: "admin", scope: null },
  "users:manage": { role: "admin", scope: null },
  "webhooks:manage": { role: "admin", scope: null },
} as const satisfies Record<string, { role: Role; scope: TokenScope | null }>;

export type Permission = keyof typeof PERMISSIONS;

export function roleCan(role: Role, permission: Permission): boolean {
  return roleAtLeast(role, PERMISSIONS[permission].role);
}

export function scopesCan(scopes: readonly string[], permission: Permission): boolean {
  const needed = PERMISSIONS[permission].scope;
  return needed !== null && scopes.includes(needed);
}

// Who is acting: a signed-in person or a pipeline token. Both are loaded from
// the database for each call, so a demoted user or a revoked token is refused
// at once.
import type { ApiToken, User } from "@/db/schema";
import { forbidden } from "@/lib/errors";
import { roleCan, scopesCan, type Permission } from "@/lib/permissions";
import { actorLabel } from "@/lib/actor-label";

export type Actor =
  { type: "user"; user: User } | { type: "token"; token: ApiToken; owner: User | null };

/**
 * The name the audit history keeps, in the form every page uses. A token is
 * named alone, owner or not: the actor filter matches this name, so it must
 * stay what earlier events of the same token recorded.
 */
export function actorName(actor: Actor): string {
  return actor.type === "user"
    ? actorLabel({ user: actor.user.name, token: null })
    : actorLabel({ user: null, token: actor.token.name });
}

/** The person behind the call, for self-approval rules. */
export function actorUserId(actor: Actor): number | null {
  return actor.type === "user" ? actor.user.id : (actor.owner?.id ?? null);
}

export function actorAudit(actor: Actor) {
  return actor.type === "user"
    ? { actorType: "user" as const, actorId: actor.user.id, actorName: actor.user.name }
    : { actorType: "token" as const, actorId: actor.token.id, actorName: actorName(actor) };
}

export function actorColumns(actor: Actor) {
  return actor.type === "user"
    ? { userId: actor.user.id, tokenId: null }
    : { userId: actor.owner?.id ?? null, tokenId: actor.token.id };
}

export function can(actor: Actor, permission: Permission): boolean {
  if (actor.type === "user") return !actor.user.disabled && roleCan(actor.user.role, permission);
  if (!scopesCan(actor.token.scopes, permission)) return false;
  // A personal token can never do more than the person it acts for can now.
  if (actor.token.kind === "personal") {
    const owner = actor.owner;
    return owner !== null && !owner.disabled && roleCan(owner.role, permission);
  }
  return true;
}

export function requirePermission(actor: Actor, permission: Permission): void {
  if (can(actor, permission)) return;
  const who = actor.type === "user" ? `role ${actor.user.role}` : "this token's scopes";
  throw forbidden(permission.replace(":", "_"), `${who} may not ${describe(permission)}.`);
}

function describe(permission: Permission): string {
  const words: Record<Permission, string> = {
    "models:read": "read models",
    "versions:register": "register versions",
    "requests:create": "request approval",
    "requests:decide": "decide approval requests",
    "deployments:create": "record deployments",
    "deployments:rollback": "roll back deployments",
    "audit:read": "read the audit history",
    "policies:write": "change policies",
    "groups:manage": "manage groups",
    "environments:manage": "add environments",
    "tokens:manage": "manage API tokens",
    "users:manage": "manage users",
    "webhooks:manage": "manage webhooks",
  };
  return words[permission];
}

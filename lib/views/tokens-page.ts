// API tokens: admins see every token; everyone who can decide sees their
// own personal tokens. Secrets are never shown here, only their prefixes.
import type { Db } from "@/db/client";
import { listTokens } from "@/db/queries/tokens";
import { getUserById } from "@/db/queries/users";
import type { ApiToken, User } from "@/db/schema";
import { can, requirePermission } from "@/lib/gate/actor";
import { TOKEN_SCOPES } from "@/lib/permissions";

function view(db: Db, t: ApiToken, now: Date) {
  const state = t.revokedAt ? "revoked" : t.expiresAt && t.expiresAt <= now ? "expired" : "active";
  return {
    id: t.id,
    name: t.name,
    kind: t.kind,
    prefix: t.displayPrefix,
    scopes: t.scopes,
    owner: t.ownerUserId ? (getUserById(db, t.ownerUserId)?.email ?? "?") : null,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    lastUsedAt: t.lastUsedAt,
    state,
  };
}

export function getTokensPage(db: Db, user: User) {
  const actor = { type: "user" as const, user };
  requirePermission(actor, "requests:decide");
  const now = new Date();
  const admin = can(actor, "tokens:manage");
  return {
    admin,
    scopes: TOKEN_SCOPES,
    all: admin ? listTokens(db).map((t) => view(db, t, now)) : [],
    mine: listTokens(db, { ownerUserId: user.id })
      .filter((t) => t.kind === "personal")
      .map((t) => view(db, t, now)),
  };
}

export type TokenRow = ReturnType<typeof view>;

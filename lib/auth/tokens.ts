// Creating and checking pipeline tokens.
import type { Db } from "@/db/client";
import { appendAuditEvent } from "@/db/queries/audit";
import { getTokenBySecretHash, insertToken, touchToken } from "@/db/queries/tokens";
import { getUserById } from "@/db/queries/users";
import { PIPELINE_SCOPES, TOKEN_SCOPES } from "@/lib/permissions";
import { badRequest, unauthorized } from "@/lib/errors";
import type { Actor } from "@/lib/gate/actor";
import { writeTransaction } from "@/lib/gate/transaction";
import { displayPrefixOf, hashTokenSecret, newTokenSecret, TOKEN_PREFIX } from "./token-secrets";

export function createToken(
  db: Db,
  input: { name: string; scopes?: string[]; ownerUserId?: number | null; createdBy: string },
): { id: number; secret: string; scopes: string[] } {
  const name = input.name.trim();
  if (!/^[\w .@-]{1,80}$/.test(name)) {
    throw badRequest(
      "token_name",
      "Token name must be 1-80 letters, digits, spaces, '.', '@', '_' or '-'.",
    );
  }
  const scopes = input.scopes ?? PIPELINE_SCOPES;
  const unknown = scopes.filter((s) => !(TOKEN_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw badRequest(
      "token_scopes",
      `Unknown scope ${unknown.join(", ")}; scopes are ${TOKEN_SCOPES.join(", ")}.`,
    );
  }
  const secret = newTokenSecret();
  const at = new Date();
  const token = writeTransaction(db, (tx) => {
    const row = insertToken(tx, {
      name,
      displayPrefix: displayPrefixOf(secret),
      secretHash: hashTokenSecret(secret),
      scopes,
      ownerUserId: input.ownerUserId ?? null,
      expiresAt: null,
    });
    appendAuditEvent(
      tx,
      {
        actorType: "system",
        actorId: null,
        actorName: input.createdBy,
        action: "token.created",
        subjectType: "token",
        subjectId: row.id,
        modelId: null,
        summary: `created token ${name} with scopes ${scopes.join(", ")}`,
        details: { scopes },
      },
      at,
    );
    return row;
  });
  return { id: token.id, secret, scopes };
}

/** Resolves a bearer secret to an actor, refusing revoked and expired tokens. */
export function actorFromBearer(db: Db, secret: string): Actor {
  if (!secret.startsWith(TOKEN_PREFIX))
    throw unauthorized("The bearer token is not an approval-gate token.");
  const token = getTokenBySecretHash(db, hashTokenSecret(secret));
  const now = new Date();
  if (!token) throw unauthorized("The bearer token is not known.");
  if (token.revokedAt) throw unauthorized("The bearer token has been revoked.");
  if (token.expiresAt && token.expiresAt <= now)
    throw unauthorized("The bearer token has expired.");
  touchToken(db, token.id, now);
  const owner = token.ownerUserId === null ? null : (getUserById(db, token.ownerUserId) ?? null);
  return { type: "token", token, owner };
}

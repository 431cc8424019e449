// Creating, checking and revoking API tokens. Pipeline tokens are made by
// admins (or the set-up command); personal tokens by a person for their own
// scripts, acting as that person under the same rules as the browser.
import type { Db } from "@/db/client";
import { appendAuditEvent, type NewAuditEvent } from "@/db/queries/audit";
import {
  getTokenById,
  getTokenBySecretHash,
  insertToken,
  revokeTokenRow,
  touchToken,
} from "@/db/queries/tokens";
import { getUserById } from "@/db/queries/users";
import type { ApiToken } from "@/db/schema";
import { PERSONAL_SCOPES, PIPELINE_SCOPES, TOKEN_SCOPES } from "@/lib/permissions";
import { badRequest, conflict, forbidden, notFound, unauthorized } from "@/lib/errors";
import { actorAudit, requirePermission, type Actor } from "@/lib/gate/actor";
import { writeTransaction } from "@/lib/gate/transaction";
import { logFor } from "@/lib/log";
import { displayPrefixOf, hashTokenSecret, newTokenSecret, TOKEN_PREFIX } from "./token-secrets";

const log = logFor("tokens");
const TOKEN_NAME = /^[\w .@-]{1,80}$/;
const MAX_DAYS = 3650;
// "Last used" is for telling live tokens from forgotten ones; writing it on
// every call made each gate status read a disk write (an fsync under
// synchronous=FULL), so it is written at most once a minute per token.
const TOUCH_EVERY_MS = 60_000;

type Issue = {
  name: string;
  scopes: string[];
  kind: "pipeline" | "personal";
  ownerUserId: number | null;
  createdByUserId: number | null;
  expiresInDays: number | null;
};
type AuditBy = Pick<NewAuditEvent, "actorType" | "actorId" | "actorName">;
export type IssuedToken = { id: number; secret: string; scopes: string[]; expiresAt: Date | null };

function validate(input: Issue): void {
  if (!TOKEN_NAME.test(input.name)) {
    throw badRequest(
      "token_name",
      "Token name must be 1-80 letters, digits, spaces, '.', '@', '_' or '-'.",
      [{ field: "name", rule: "token_name", message: "name: 1-80 letters, digits, . @ _ -" }],
    );
  }
  const unknown = input.scopes.filter((s) => !(TOKEN_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0 || input.scopes.length === 0) {
    throw badRequest(
      "token_scopes",
      unknown.length > 0
        ? `Unknown scope ${unknown.join(", ")}; scopes are ${TOKEN_SCOPES.join(", ")}.`
        : `Choose at least one scope of ${TOKEN_SCOPES.join(", ")}.`,
      [
        {
          field: "scopes",
          rule: "token_scopes",
          message: "scopes: choose at least one known scope",
        },
      ],
    );
  }
  const days = input.expiresInDays;
  if (days !== null && (!Number.isInteger(days) || days < 1 || days > MAX_DAYS)) {
    throw badRequest("token_expiry", `Expiry must be 1 to ${MAX_DAYS} days, or none.`, [
      { field: "expiresInDays", rule: "range", message: `expiresInDays: 1 to ${MAX_DAYS}` },
    ]);
  }
}

function issue(db: Db, input: Issue, by: AuditBy): IssuedToken {
  validate(input);
  const secret = newTokenSecret();
  const at = new Date();
  const expiresAt =
    input.expiresInDays === null ? null : new Date(at.getTime() + input.expiresInDays * 86_400_000);
  const row = writeTransaction(db, (tx) => {
    const token = insertToken(tx, {
      name: input.name,
      kind: input.kind,
      displayPrefix: displayPrefixOf(secret),
      secretHash: hashTokenSecret(secret),
      scopes: input.scopes,
      ownerUserId: input.ownerUserId,
      createdByUserId: input.createdByUserId,
      expiresAt,
    });
    appendAuditEvent(
      tx,
      {
        ...by,
        action: "token.created",
        subjectType: "token",
        subjectId: token.id,
        modelId: null,
        summary: `created ${input.kind} token ${input.name} with scopes ${input.scopes.join(", ")}`,
        details: { scopes: input.scopes, kind: input.kind, expires_at: expiresAt?.toISOString() },
      },
      at,
    );
    return token;
  });
  log.info({ token: row.id, kind: input.kind }, "token created");
  return { id: row.id, secret, scopes: input.scopes, expiresAt };
}

/** The set-up command's token (`npm run token:create`). */
export function createToken(
  db: Db,
  input: { name: string; scopes?: string[]; ownerUserId?: number | null; createdBy: string },
): IssuedToken {
  return issue(
    db,
    {
      name: input.name.trim(),
      scopes: input.scopes ?? PIPELINE_SCOPES,
      kind: "pipeline",
      ownerUserId: input.ownerUserId ?? null,
      createdByUserId: null,
      expiresInDays: null,
    },
    { actorType: "system", actorId: null, actorName: input.createdBy },
  );
}

export function createPipelineToken(
  db: Db,
  actor: Actor,
  input: { name: string; scopes: string[]; expiresInDays: number | null },
): IssuedToken {
  requirePermission(actor, "tokens:manage");
  const userId = actor.type === "user" ? actor.user.id : null;
  return issue(
    db,
    {
      ...input,
      name: input.name.trim(),
      kind: "pipeline",
      ownerUserId: null,
      createdByUserId: userId,
    },
    actorAudit(actor),
  );
}

/** A token that acts as the person who makes it: read and decide, nothing more. */
export function createPersonalToken(
  db: Db,
  actor: Actor,
  input: { name: string; expiresInDays: number | null },
): IssuedToken {
  if (actor.type !== "user") throw forbidden("personal_token", "Sign in to make a personal token.");
  requirePermission(actor, "requests:decide");
  return issue(
    db,
    {
      ...input,
      name: input.name.trim(),
      scopes: PERSONAL_SCOPES,
      kind: "personal",
      ownerUserId: actor.user.id,
      createdByUserId: actor.user.id,
    },
    actorAudit(actor),
  );
}

/** Admins revoke any token; a person revokes their own personal tokens. */
export function revokeToken(db: Db, actor: Actor, tokenId: number): ApiToken {
  const at = new Date();
  return writeTransaction(db, (tx) => {
    const token = getTokenById(tx, tokenId);
    if (!token) throw notFound("token", `No token #${tokenId}.`);
    const own = actor.type === "user" && token.ownerUserId === actor.user.id;
    if (!own || token.kind !== "personal") requirePermission(actor, "tokens:manage");
    if (token.revokedAt) throw conflict("token_revoked", `Token ${token.name} is already revoked.`);
    const row = revokeTokenRow(tx, tokenId, at);
    appendAuditEvent(
      tx,
      {
        ...actorAudit(actor),
        action: "token.revoked",
        subjectType: "token",
        subjectId: tokenId,
        modelId: null,
        summary: `revoked ${token.kind} token ${token.name}`,
        details: null,
      },
      at,
    );
    return row;
  });
}

/** Resolves a bearer secret to an actor, refusing revoked and expired tokens. */
export function actorFromBearer(db: Db, secret: string): Actor {
  if (!secret.startsWith(TOKEN_PREFIX)) {
    throw unauthorized("The bearer token is not an approval-gate token.");
  }
  const token = getTokenBySecretHash(db, hashTokenSecret(secret));
  const now = new Date();
  if (!token) throw unauthorized("The bearer token is not known.");
  if (token.revokedAt) throw unauthorized("The bearer token has been revoked.");
  if (token.expiresAt && token.expiresAt <= now)
    throw unauthorized("The bearer token has expired.");
  const owner = token.ownerUserId === null ? null : (getUserById(db, token.ownerUserId) ?? null);
  if (token.kind === "personal" && (!owner || owner.disabled)) {
    throw unauthorized("The person this token acts for is disabled.");
  }
  const last = token.lastUsedAt?.getTime() ?? 0;
  if (now.getTime() - last >= TOUCH_EVERY_MS) touchToken(db, token.id, now);
  return { type: "token", token, owner };
}

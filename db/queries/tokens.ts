import { and, desc, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { apiTokens, type ApiToken } from "../schema";

export function getTokenBySecretHash(db: DbOrTx, secretHash: string): ApiToken | undefined {
  return db.select().from(apiTokens).where(eq(apiTokens.secretHash, secretHash)).get();
}

export function getTokenById(db: DbOrTx, id: number): ApiToken | undefined {
  return db.select().from(apiTokens).where(eq(apiTokens.id, id)).get();
}

export function insertToken(
  db: DbOrTx,
  input: {
    name: string;
    kind: "pipeline" | "personal";
    displayPrefix: string;
    secretHash: string;
    scopes: string[];
    ownerUserId: number | null;
    createdByUserId: number | null;
    expiresAt: Date | null;
  },
): ApiToken {
  return db.insert(apiTokens).values(input).returning().get();
}

export function touchToken(db: DbOrTx, id: number, at: Date): void {
  db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id)).run();
}

export function revokeTokenRow(db: DbOrTx, id: number, at: Date): ApiToken {
  const row = db
    .update(apiTokens)
    .set({ revokedAt: at })
    .where(eq(apiTokens.id, id))
    .returning()
    .get();
  if (!row) throw new Error(`token ${id} vanished during revocation`);
  return row;
}

/** Revokes every live personal token of a person; how many it revoked. */
export function revokeTokensOfOwner(db: DbOrTx, ownerUserId: number, at: Date): number {
  return db
    .update(apiTokens)
    .set({ revokedAt: at })
    .where(and(eq(apiTokens.ownerUserId, ownerUserId), isNull(apiTokens.revokedAt)))
    .run().changes;
}

export function listTokens(db: DbOrTx, filter: { ownerUserId?: number } = {}): ApiToken[] {
  return db
    .select()
    .from(apiTokens)
    .where(
      filter.ownerUserId === undefined ? undefined : eq(apiTokens.ownerUserId, filter.ownerUserId),
    )
    .orderBy(desc(apiTokens.id))
    .all();
}

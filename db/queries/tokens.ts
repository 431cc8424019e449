import { eq } from "drizzle-orm";
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
    displayPrefix: string;
    secretHash: string;
    scopes: string[];
    ownerUserId: number | null;
    expiresAt: Date | null;
  },
): ApiToken {
  return db.insert(apiTokens).values(input).returning().get();
}

export function touchToken(db: DbOrTx, id: number, at: Date): void {
  db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id)).run();
}

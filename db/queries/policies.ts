import { desc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { policies, type Policy } from "../schema";

export const DEFAULT_SCOPE = "default";

export function scopeKeyFor(modelId: number, environmentId: number): string {
  return `model:${modelId}/env:${environmentId}`;
}

export function getCurrentPolicy(db: DbOrTx, scopeKey: string): Policy | undefined {
  return db
    .select()
    .from(policies)
    .where(eq(policies.scopeKey, scopeKey))
    .orderBy(desc(policies.revision))
    .limit(1)
    .get();
}

export function getPolicyById(db: DbOrTx, id: number): Policy | undefined {
  return db.select().from(policies).where(eq(policies.id, id)).get();
}

/** Adds the next revision of a scope; call inside an immediate transaction. */
export function insertPolicyRevision(
  db: DbOrTx,
  input: {
    scopeKey: string;
    modelId: number | null;
    environmentId: number | null;
    source: string;
    createdByUserId: number | null;
    createdByTokenId: number | null;
  },
  at: Date,
): Policy {
  const row = db
    .select({ next: sql<number>`coalesce(max(${policies.revision}), 0) + 1` })
    .from(policies)
    .where(eq(policies.scopeKey, input.scopeKey))
    .get();
  return db
    .insert(policies)
    .values({ ...input, revision: row?.next ?? 1, createdAt: at })
    .returning()
    .get();
}

/** The newest revision of every scope: the policies in force now. */
export function listCurrentPolicies(db: DbOrTx): Policy[] {
  return db
    .select()
    .from(policies)
    .where(
      sql`${policies.revision} = (SELECT max(p2.revision) FROM policies p2
        WHERE p2.scope_key = ${policies.scopeKey})`,
    )
    .all();
}

export function listPoliciesByIds(db: DbOrTx, ids: number[]): Policy[] {
  if (ids.length === 0) return [];
  return db.select().from(policies).where(inArray(policies.id, ids)).all();
}

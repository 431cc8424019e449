import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { decisions, users, type Decision, type Role } from "../schema";

export function insertDecision(
  db: DbOrTx,
  input: Omit<typeof decisions.$inferInsert, "id" | "createdAt">,
  at: Date,
): Decision {
  return db
    .insert(decisions)
    .values({ ...input, createdAt: at })
    .returning()
    .get();
}

export type DecisionRow = Decision & {
  userName: string | null;
  userEmail: string | null;
  userRole: Role | null;
};

export function listDecisionsOfRequest(db: DbOrTx, requestId: number): DecisionRow[] {
  return db
    .select({
      id: decisions.id,
      requestId: decisions.requestId,
      userId: decisions.userId,
      decision: decisions.decision,
      comment: decisions.comment,
      evidence: decisions.evidence,
      dismissedAt: decisions.dismissedAt,
      createdAt: decisions.createdAt,
      userName: users.name,
      userEmail: users.email,
      userRole: users.role,
    })
    .from(decisions)
    .leftJoin(users, eq(users.id, decisions.userId))
    .where(eq(decisions.requestId, requestId))
    .orderBy(asc(decisions.id))
    .all();
}

export function getDecisionOfUser(
  db: DbOrTx,
  requestId: number,
  userId: number,
): Decision | undefined {
  return db
    .select()
    .from(decisions)
    .where(
      and(
        eq(decisions.requestId, requestId),
        eq(decisions.userId, userId),
        isNull(decisions.dismissedAt),
      ),
    )
    .get();
}

/** Marks a request's standing decisions as no longer counting. */
export function dismissDecisions(db: DbOrTx, requestId: number, at: Date): number {
  return db
    .update(decisions)
    .set({ dismissedAt: at })
    .where(and(eq(decisions.requestId, requestId), isNull(decisions.dismissedAt)))
    .run().changes;
}

/** Which of these requests a person has a standing (not dismissed) decision on. */
export function listRequestIdsDecidedBy(
  db: DbOrTx,
  userId: number,
  requestIds: number[],
): number[] {
  if (requestIds.length === 0) return [];
  return db
    .select({ requestId: decisions.requestId })
    .from(decisions)
    .where(
      and(
        eq(decisions.userId, userId),
        inArray(decisions.requestId, requestIds),
        isNull(decisions.dismissedAt),
      ),
    )
    .all()
    .map((r) => r.requestId);
}

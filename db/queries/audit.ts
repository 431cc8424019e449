import { createHash } from "node:crypto";
import { asc, desc, gt, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { auditEvents, type ActorType, type AuditEvent } from "../schema";

export type NewAuditEvent = {
  actorType: ActorType;
  actorId: number | null;
  actorName: string;
  action: string;
  subjectType: string;
  subjectId: number | null;
  modelId: number | null;
  summary: string;
  details: Record<string, unknown> | null;
};

export const GENESIS_HASH = "0".repeat(64);

/** The chained hash of one event: any change to a field or the order breaks it. */
export function hashAuditEvent(prevHash: string, e: NewAuditEvent, createdAt: Date): string {
  const body = JSON.stringify([
    e.actorType,
    e.actorId,
    e.actorName,
    e.action,
    e.subjectType,
    e.subjectId,
    e.modelId,
    e.summary,
    e.details,
    createdAt.getTime(),
  ]);
  return createHash("sha256").update(prevHash).update(body).digest("hex");
}

/** Appends one event; call inside the transaction that made the change. */
export function appendAuditEvent(db: DbOrTx, event: NewAuditEvent, at: Date): AuditEvent {
  const last = db
    .select({ hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.id))
    .limit(1)
    .get();
  const prevHash = last?.hash ?? GENESIS_HASH;
  return db
    .insert(auditEvents)
    .values({ ...event, prevHash, hash: hashAuditEvent(prevHash, event, at), createdAt: at })
    .returning()
    .get();
}

/** Newest first, keyset-paginated on id so a page never repeats or skips a row. */
export function listAuditEvents(
  db: DbOrTx,
  { beforeId, limit }: { beforeId: number | null; limit: number },
): AuditEvent[] {
  return db
    .select()
    .from(auditEvents)
    .where(beforeId === null ? undefined : lt(auditEvents.id, beforeId))
    .orderBy(desc(auditEvents.id))
    .limit(limit)
    .all();
}

export function countAuditEvents(db: DbOrTx): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(auditEvents)
      .get()?.n ?? 0
  );
}

/** Every event, oldest first, a page at a time so a long history fits in memory. */
export function* iterateAuditEvents(db: DbOrTx, pageSize = 1000): Generator<AuditEvent> {
  let afterId = 0;
  for (;;) {
    const page = db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.id, afterId))
      .orderBy(asc(auditEvents.id))
      .limit(pageSize)
      .all();
    yield* page;
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    afterId = last.id;
  }
}

// The audit history for leads and admins, newest first, a page at a time.
import type { Db } from "@/db/client";
import { iterateAuditEvents, listAuditEvents } from "@/db/queries/audit";
import { verifyChain } from "@/lib/audit/verify-chain";
import type { User } from "@/db/schema";
import { requirePermission } from "@/lib/gate/actor";

export const AUDIT_PAGE_SIZE = 50;

export function getAuditPage(db: Db, user: User, beforeId: number | null) {
  requirePermission({ type: "user", user }, "audit:read");
  const rows = listAuditEvents(db, { beforeId, limit: AUDIT_PAGE_SIZE + 1 });
  const events = rows.slice(0, AUDIT_PAGE_SIZE);
  const last = events.at(-1);
  // TODO: re-hashes the whole history on every view; fine for tens of
  // thousands of events, slow past that (issue 7 measures it).
  const chain = verifyChain(iterateAuditEvents(db));
  return { events, chain, nextBeforeId: rows.length > AUDIT_PAGE_SIZE && last ? last.id : null };
}

// The audit page names the chain's head (the newest event's id and hash) so a
// lead can write it down and later check it with `npm run audit:verify --
// --anchor id:hash`; it is the head the command itself prints.
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getAuditPage } from "@/lib/views/audit-page";
import { gateWorlds } from "../helpers/gate-world";

const newWorld = gateWorlds();

describe("the audit page's chain state", () => {
  it("names the newest event's id and hash as the head, and moves on with the history", () => {
    const w = newWorld();
    w.register({ auc: 0.9 });
    const newest = () =>
      w.db.get<{ id: number; hash: string }>(
        sql`SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1`,
      )!;
    const first = getAuditPage(w.db, w.people.lead, {}).chain;
    expect(first).toMatchObject({ ok: true, headId: newest().id, head: newest().hash });

    w.register({ auc: 0.8 });
    const later = getAuditPage(w.db, w.people.lead, {}).chain;
    expect(later).toMatchObject({ ok: true, headId: newest().id, head: newest().hash });
    expect(later.ok && first.ok && later.headId! > first.headId!).toBe(true);
  });
});

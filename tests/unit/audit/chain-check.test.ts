// The audit page's chain check: the whole history once a minute, and at each
// view in between only the events after the last intact check.
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { checkChainForPage, FULL_CHECK_EVERY_MS } from "@/lib/audit/chain-check";
import { gateWorlds } from "../helpers/gate-world";

const newWorld = gateWorlds();
const at = (ms: number) => new Date(Date.UTC(2031, 0, 1) + ms);

function tamperWithFirstEvent(w: ReturnType<typeof newWorld>) {
  w.sqlite.exec("DROP TRIGGER audit_events_no_update");
  w.sqlite.exec("UPDATE audit_events SET summary = 'rewritten' WHERE id = 1");
}

describe("the audit page's chain check", () => {
  it("counts events recorded after the last check, and follows the head", () => {
    const w = newWorld();
    w.register({ auc: 0.9 });
    const first = checkChainForPage(w.db, at(0));
    w.register({ auc: 0.8 });
    const later = checkChainForPage(w.db, at(1_000));
    const total = w.db.get<{ n: number; id: number; hash: string }>(
      sql`SELECT count(*) AS n, max(id) AS id, (SELECT hash FROM audit_events
          ORDER BY id DESC LIMIT 1) AS hash FROM audit_events`,
    )!;
    expect(first.ok).toBe(true);
    expect(later).toMatchObject({ ok: true, events: total.n, headId: total.id, head: total.hash });
    expect(later.fullCheckAt).toEqual(at(0));
  });

  it("sees at once a new event that does not follow the last one checked", () => {
    const w = newWorld();
    w.register({ auc: 0.9 });
    expect(checkChainForPage(w.db, at(0)).ok).toBe(true);
    w.sqlite.exec(`INSERT INTO audit_events (actor_type, actor_name, action, subject_type,
      summary, prev_hash, hash, created_at) VALUES ('system', 'x', 'forged', 'model',
      'forged', '${"f".repeat(64)}', '${"e".repeat(64)}', 0)`);
    const state = checkChainForPage(w.db, at(1_000));
    expect(state).toMatchObject({ ok: false, why: "does not follow the event before it" });
  });

  it("sees a changed old event at the next full check, within a minute", () => {
    const w = newWorld();
    w.register({ auc: 0.9 });
    expect(checkChainForPage(w.db, at(0)).ok).toBe(true);
    tamperWithFirstEvent(w);
    // Between full checks only newer events are hashed: the change is not seen yet.
    expect(checkChainForPage(w.db, at(FULL_CHECK_EVERY_MS - 1)).ok).toBe(true);
    const state = checkChainForPage(w.db, at(FULL_CHECK_EVERY_MS));
    expect(state).toMatchObject({ ok: false, brokenAt: 1 });
    expect(state.fullCheckAt).toEqual(at(FULL_CHECK_EVERY_MS));
  });

  it("checks the whole history again at every view while it is broken", () => {
    const w = newWorld();
    w.register({ auc: 0.9 });
    tamperWithFirstEvent(w);
    expect(checkChainForPage(w.db, at(0))).toMatchObject({ ok: false, brokenAt: 1 });
    expect(checkChainForPage(w.db, at(1)).fullCheckAt).toEqual(at(1));
  });
});

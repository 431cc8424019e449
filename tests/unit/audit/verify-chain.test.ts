import { describe, expect, it } from "vitest";
import { iterateAuditEvents } from "@/db/queries/audit";
import { verifyChain } from "@/lib/audit/verify-chain";
import { gateWorlds } from "../helpers/gate-world";

const newWorld = gateWorlds();

function busyWorld() {
  const w = newWorld();
  w.policy("auto_approve: [auc >= 0.9]\n");
  w.register({ auc: 0.95 });
  w.ask(1);
  w.register({ auc: 0.5 });
  w.reject("reviewer", w.ask(2).id, "too weak");
  return w;
}

describe("the audit chain check", () => {
  it("finds an untouched history intact, across pages", () => {
    const w = busyWorld();
    const state = verifyChain(iterateAuditEvents(w.db, 2));
    expect(state).toMatchObject({ ok: true, events: w.auditActions().length });
  });

  it("names the first event whose fields were changed behind the triggers' back", () => {
    const w = busyWorld();
    // Simulate someone editing the file directly: drop the guard, change a row.
    w.sqlite.exec("DROP TRIGGER audit_events_no_update");
    w.sqlite.exec("UPDATE audit_events SET summary = 'nothing to see' WHERE id = 3");
    expect(verifyChain(iterateAuditEvents(w.db))).toMatchObject({
      ok: false,
      brokenAt: 3,
      why: "its fields no longer match its hash",
    });
  });

  it("names the event after a removed one", () => {
    const w = busyWorld();
    w.sqlite.exec("DROP TRIGGER audit_events_no_delete");
    w.sqlite.exec("DELETE FROM audit_events WHERE id = 4");
    expect(verifyChain(iterateAuditEvents(w.db))).toMatchObject({ ok: false, brokenAt: 5 });
  });
});

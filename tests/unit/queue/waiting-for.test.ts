// "Waiting for me" is applied in SQL before paging, so pages are full; it
// must pick exactly the rows the queue marks as yours to decide, for every
// person, and the navigation count must agree with it.
import { describe, expect, it, vi } from "vitest";
import type { User } from "@/db/schema";
import { changeGroupMember, createGroup } from "@/lib/gate/groups";
import { DEFAULT_FILTERS, type QueueFilters } from "@/lib/queue/filters";
import { getQueueCounts, getQueuePage } from "@/lib/views/queue";
import { tokenActor, userActor } from "../helpers/test-db";
import { gateWorlds, type World } from "../helpers/gate-world";

const newWorld = gateWorlds();

const policy = (approvers: string, extra = "", count = 2) =>
  `approvals:\n  - approvers: [${approvers}]\n    count: ${count}\n${extra}`;

/** Requests under a mix of policies, submitters and earlier decisions. */
function busyWorld(): World {
  const w = newWorld();
  createGroup(w.db, w.lead, "risk");
  for (const who of [w.people.reviewer2, w.people.admin])
    changeGroupMember(w.db, w.lead, { group: "risk", email: who.email, change: "add" });
  const policies: Record<string, string> = {
    "leads-only": policy("role:lead"),
    "risk-self": policy("group:risk", "allow_self_approval: true\n"),
    "risk-strict": policy("group:risk"),
    "by-email": policy(w.people.reviewer.email, "", 1),
    "needs-auc": "required_metrics: [auc]\n" + policy("role:reviewer"),
    default: "",
  };
  const pipeline = tokenActor(w.db, { name: "ci" }).actor;
  // Only leads, admins and pipelines register versions.
  const submitters = [w.lead, w.as("admin"), pipeline];
  let i = 0;
  for (const [kind, source] of Object.entries(policies)) {
    submitters.forEach((by, k) => {
      // One model per submitter: a newer version would supersede the older request.
      const model = `${kind}-${k}`;
      const environment = i++ % 2 === 0 ? "production" : "staging";
      if (source) w.policy(source, environment, model);
      w.ask(w.register({}, by, model), environment, by, model);
    });
  }
  // Standing decisions: these people are no longer asked (count 2 keeps them open).
  const pending = getQueuePage(w.db, w.people.admin, { ...DEFAULT_FILTERS, size: 100 }).items;
  for (const item of pending.filter((p) => p.canDecide).slice(0, 3))
    w.approve("admin", item.requestId);
  return w;
}

function ids(w: World, user: User, filters: Partial<QueueFilters>) {
  return getQueuePage(w.db, user, { ...DEFAULT_FILTERS, size: 100, ...filters }).items;
}

describe("waiting for me", () => {
  it("shows exactly the open requests the queue marks as yours to decide, for everyone", () => {
    const w = busyWorld();
    for (const who of Object.values(w.people)) {
      const all = ids(w, who, { status: "all" });
      const yours = all.filter((i) => i.canDecide).map((i) => i.requestId);
      expect(ids(w, who, { mine: true }).map((i) => i.requestId)).toEqual(yours);
      expect(getQueueCounts(w.db, who).waitingForYou).toBe(yours.length);
    }
    // The scenario is not trivial: someone has work, someone has none.
    expect(ids(w, w.people.reviewer2, { mine: true }).length).toBeGreaterThan(0);
    expect(ids(w, w.people.viewer, { mine: true })).toEqual([]);
  });

  it("keeps pages full: every page but the last holds the page size", () => {
    const w = busyWorld();
    const yours = ids(w, w.people.admin, { mine: true }).map((i) => i.requestId);
    expect(yours.length).toBeGreaterThan(4);
    const first = getQueuePage(w.db, w.people.admin, { ...DEFAULT_FILTERS, mine: true, size: 4 });
    expect(first.items.map((i) => i.requestId)).toEqual(yours.slice(0, 4));
    const second = getQueuePage(w.db, w.people.admin, {
      ...DEFAULT_FILTERS,
      mine: true,
      size: 4,
      cursor: first.next,
    });
    expect(second.items.map((i) => i.requestId)).toEqual(yours.slice(4, 8));
  });

  it("leaves out a request once the person has decided it", () => {
    const w = newWorld();
    w.policy(policy("role:reviewer"));
    const request = w.ask(w.register());
    expect(ids(w, w.people.reviewer, { mine: true }).map((i) => i.requestId)).toEqual([request.id]);
    w.approve("reviewer", request.id);
    expect(ids(w, w.people.reviewer, { mine: true })).toEqual([]);
    expect(getQueueCounts(w.db, w.people.reviewer)).toEqual({ waitingForYou: 0, open: 1 });
  });

  it("leaves out a person's own version unless the policy allows self-approval", () => {
    const w = newWorld();
    w.policy(policy("role:reviewer"), "production", "strict");
    w.policy(policy("role:reviewer", "allow_self_approval: true\n"), "production", "relaxed");
    const by = userActor(w.people.lead);
    const strict = w.ask(w.register({}, by, "strict"), "production", by, "strict");
    const relaxed = w.ask(w.register({}, by, "relaxed"), "production", by, "relaxed");
    const mine = ids(w, w.people.lead, { mine: true }).map((i) => i.requestId);
    expect(mine).toEqual([relaxed.id]);
    expect(ids(w, w.people.reviewer2, { mine: true }).map((i) => i.requestId)).toEqual([
      strict.id,
      relaxed.id,
    ]);
  });
});

describe("navigation counts", () => {
  it("count open requests but not those past their deadline", () => {
    const w = newWorld();
    w.policy("expires_after: 1h\n" + policy("role:reviewer"));
    w.policy(policy("role:reviewer"), "production", "other");
    w.ask(w.register());
    w.ask(w.register({}, w.lead, "other"), "production", w.lead, "other");
    expect(getQueueCounts(w.db, w.people.reviewer).open).toBe(2);
    // Two hours on, the first request's deadline has passed; nobody has expired it yet.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 2 * 3600_000);
    expect(getQueueCounts(w.db, w.people.reviewer)).toEqual({ waitingForYou: 1, open: 1 });
  });
});

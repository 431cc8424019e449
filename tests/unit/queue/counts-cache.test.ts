// The navigation counts are remembered per person between changes; every
// kind of change must still show at once.
import { afterEach, describe, expect, it } from "vitest";
import { changeGroupMember, createGroup } from "@/lib/gate/groups";
import { requestApproval } from "@/lib/gate/requests";
import { registerVersion } from "@/lib/gate/versions";
import { savePolicy } from "@/lib/gate/policies";
import { getQueueCounts } from "@/lib/views/queue";
import { cast, fileDb, userActor } from "../helpers/test-db";
import { addModel, addRequest } from "./queue-world";

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function setup() {
  const open = fileDb();
  cleanups.push(open.close);
  const people = cast(open.db);
  return { ...open, people, lead: userActor(people.lead) };
}

describe("navigation counts", () => {
  it("count a request created in this process at once", () => {
    const s = setup();
    expect(getQueueCounts(s.db, s.people.reviewer)).toEqual({ waitingForYou: 0, open: 0 });
    registerVersion(s.db, s.lead, "churn", { metrics: [] });
    requestApproval(s.db, s.lead, "churn", 1, { environment: "production" });
    expect(getQueueCounts(s.db, s.people.reviewer)).toEqual({ waitingForYou: 1, open: 1 });
  });

  it("count a request another process wrote", () => {
    const s = setup();
    expect(getQueueCounts(s.db, s.people.reviewer).open).toBe(0);
    const other = s.connect();
    addRequest(other.db, addModel(other.db, "elsewhere"), new Date());
    expect(getQueueCounts(s.db, s.people.reviewer)).toEqual({ waitingForYou: 1, open: 1 });
  });

  it("follow a person joining the group a policy names", () => {
    const s = setup();
    createGroup(s.db, s.lead, "risk");
    changeGroupMember(s.db, s.lead, {
      group: "risk",
      email: s.people.reviewer2.email,
      change: "add",
    });
    savePolicy(s.db, s.lead, "churn", "production", "approvals:\n  - approvers: [group:risk]\n");
    registerVersion(s.db, s.lead, "churn", { metrics: [] });
    requestApproval(s.db, s.lead, "churn", 1, { environment: "production" });
    expect(getQueueCounts(s.db, s.people.reviewer).waitingForYou).toBe(0);
    changeGroupMember(s.db, s.lead, {
      group: "risk",
      email: s.people.reviewer.email,
      change: "add",
    });
    expect(getQueueCounts(s.db, s.people.reviewer).waitingForYou).toBe(1);
  });
});

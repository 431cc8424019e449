// Groups of people that policies name as approvers (`group:risk`): who may
// manage them, and what membership means for deciding a request.
import { describe, expect, it } from "vitest";
import { getGroupByName, groupNamesOfUser, listMembersOfGroup } from "@/db/queries/groups";
import { changeGroupMember, createGroup } from "@/lib/gate/groups";
import { addUser, thrown, tokenActor, userActor } from "../helpers/test-db";
import { gateWorlds, type World } from "../helpers/gate-world";

const newWorld = gateWorlds();

function add(w: World, group: string, email: string) {
  changeGroupMember(w.db, w.lead, { group, email, change: "add" });
}

describe("managing groups", () => {
  it("lets a lead create a group and add a member, both audited", () => {
    const w = newWorld();
    const group = createGroup(w.db, w.lead, "risk");
    add(w, "risk", w.people.reviewer.email);
    expect(group.name).toBe("risk");
    expect(listMembersOfGroup(w.db, group.id).map((u) => u.email)).toEqual([
      w.people.reviewer.email,
    ]);
    expect(w.auditEvents("group.created")[0]).toMatchObject({
      actorName: "Leo Lead",
      summary: "created group risk",
    });
    expect(w.auditEvents("group.member_added")[0]).toMatchObject({
      summary: `added ${w.people.reviewer.email} to group risk`,
      details: { user_id: w.people.reviewer.id },
    });
  });

  it("lets an admin manage groups too", () => {
    const w = newWorld();
    const admin = userActor(w.people.admin);
    createGroup(w.db, admin, "ml-platform");
    changeGroupMember(w.db, admin, {
      group: "ml-platform",
      email: w.people.reviewer2.email,
      change: "add",
    });
    expect(groupNamesOfUser(w.db, w.people.reviewer2.id)).toEqual(["ml-platform"]);
  });

  it.each(["reviewer", "viewer"] as const)("refuses a %s creating a group with 403", (role) => {
    const w = newWorld();
    const error = thrown(() => createGroup(w.db, w.as(role), "risk"));
    expect(error).toMatchObject({ status: 403, code: "forbidden:groups_manage" });
    expect(error.message).toBe(`role ${role} may not manage groups.`);
    expect(getGroupByName(w.db, "risk")).toBeUndefined();
  });

  it.each(["reviewer", "viewer"] as const)(
    "refuses a %s changing a group's members with 403",
    (role) => {
      const w = newWorld();
      createGroup(w.db, w.lead, "risk");
      const error = thrown(() =>
        changeGroupMember(w.db, w.as(role), {
          group: "risk",
          email: w.people[role].email,
          change: "add",
        }),
      );
      expect(error).toMatchObject({ status: 403, code: "forbidden:groups_manage" });
      expect(groupNamesOfUser(w.db, w.people[role].id)).toEqual([]);
    },
  );

  it("refuses a pipeline token managing groups with 403", () => {
    const w = newWorld();
    const error = thrown(() => createGroup(w.db, tokenActor(w.db).actor, "risk"));
    expect(error).toMatchObject({ status: 403, code: "forbidden:groups_manage" });
  });

  it.each(["Risk", "risk team", "-risk", "", "r".repeat(41)])(
    "refuses the group name %j with 400 naming the name field",
    (name) => {
      const w = newWorld();
      const error = thrown(() => createGroup(w.db, w.lead, name));
      expect(error).toMatchObject({ status: 400, code: "bad_request:group_name" });
      expect(error.errors).toEqual([
        {
          field: "name",
          rule: "group_name",
          message: "name: 1-40 lowercase letters, digits, _ or -",
        },
      ]);
    },
  );

  it("refuses a second group with the same name with 409", () => {
    const w = newWorld();
    createGroup(w.db, w.lead, "risk");
    const error = thrown(() => createGroup(w.db, w.lead, "risk"));
    expect(error).toMatchObject({ status: 409, code: "conflict:group_exists" });
    expect(w.auditEvents("group.created")).toHaveLength(1);
  });

  it("refuses adding a member twice, and removing a non-member, with 409", () => {
    const w = newWorld();
    createGroup(w.db, w.lead, "risk");
    add(w, "risk", w.people.reviewer.email);
    const twice = thrown(() => add(w, "risk", w.people.reviewer.email));
    expect(twice).toMatchObject({ status: 409, code: "conflict:group_member" });
    expect(twice.message).toBe(`${w.people.reviewer.email} is already in group risk.`);
    const absent = thrown(() =>
      changeGroupMember(w.db, w.lead, {
        group: "risk",
        email: w.people.reviewer2.email,
        change: "remove",
      }),
    );
    expect(absent).toMatchObject({ status: 409, code: "conflict:group_member" });
    expect(absent.message).toBe(`${w.people.reviewer2.email} is not in group risk.`);
  });

  it("answers 404 for a group or a person that does not exist", () => {
    const w = newWorld();
    createGroup(w.db, w.lead, "risk");
    expect(thrown(() => add(w, "fraud", w.people.reviewer.email))).toMatchObject({
      status: 404,
      code: "not_found:group",
    });
    expect(thrown(() => add(w, "risk", "nobody@example.com"))).toMatchObject({
      status: 404,
      code: "not_found:user",
    });
  });

  it("finds the person by email regardless of case", () => {
    const w = newWorld();
    createGroup(w.db, w.lead, "risk");
    add(w, "risk", w.people.reviewer.email.toUpperCase());
    expect(groupNamesOfUser(w.db, w.people.reviewer.id)).toEqual(["risk"]);
  });

  it("removes a member, audited", () => {
    const w = newWorld();
    createGroup(w.db, w.lead, "risk");
    add(w, "risk", w.people.reviewer.email);
    changeGroupMember(w.db, w.lead, {
      group: "risk",
      email: w.people.reviewer.email,
      change: "remove",
    });
    expect(groupNamesOfUser(w.db, w.people.reviewer.id)).toEqual([]);
    expect(w.auditEvents("group.member_removed")[0]?.summary).toBe(
      `removed ${w.people.reviewer.email} from group risk`,
    );
  });
});

describe("deciding under a group rule", () => {
  /** A `risk` group holding Rita; production needs one approval from it. */
  function riskRule(rule = "approvals:\n  - name: risk\n    approvers: [group:risk]\n") {
    const w = newWorld();
    createGroup(w.db, w.lead, "risk");
    add(w, "risk", w.people.reviewer.email);
    w.policy(rule);
    w.register();
    const request = w.ask(1);
    return { ...w, req: request };
  }

  it("lets a group member approve", () => {
    const w = riskRule();
    expect(w.approve("reviewer", w.req.id).request.status).toBe("approved");
    expect(w.status(1)).toMatchObject({
      approved_by: ["Rita Reviewer"],
      required_approvals: [{ rule: "risk", approvers: ["group:risk"], count: 1, approvals: 1 }],
    });
  });

  it("refuses a reviewer outside the group with 403 forbidden:not_eligible", () => {
    const w = riskRule();
    const error = thrown(() => w.approve("reviewer2", w.req.id));
    expect(error).toMatchObject({ status: 403, code: "forbidden:not_eligible" });
    expect(error.message).toBe("This policy's approvers are group:risk; you are not one.");
    expect(w.decisions(w.req.id)).toEqual([]);
  });

  it("refuses an admin outside the group too", () => {
    const w = riskRule();
    expect(thrown(() => w.approve("admin", w.req.id))).toMatchObject({
      status: 403,
      code: "forbidden:not_eligible",
    });
  });

  it("refuses a reject from a non-member as well", () => {
    const w = riskRule();
    expect(thrown(() => w.reject("reviewer2", w.req.id))).toMatchObject({
      code: "forbidden:not_eligible",
    });
    expect(w.request(w.req.id).status).toBe("pending_review");
  });

  it("refuses a viewer who is in the group", () => {
    const w = riskRule();
    add(w, "risk", w.people.viewer.email);
    const error = thrown(() => w.approve("viewer", w.req.id));
    expect(error.status).toBe(403);
    expect(w.request(w.req.id).status).toBe("pending_review");
  });

  it("reads membership when deciding: someone added after the request may approve", () => {
    const w = riskRule();
    add(w, "risk", w.people.reviewer2.email);
    expect(w.approve("reviewer2", w.req.id).request.status).toBe("approved");
  });

  it("refuses someone removed from the group after the request", () => {
    const w = riskRule();
    add(w, "risk", w.people.reviewer2.email);
    changeGroupMember(w.db, w.lead, {
      group: "risk",
      email: w.people.reviewer.email,
      change: "remove",
    });
    expect(thrown(() => w.approve("reviewer", w.req.id))).toMatchObject({
      code: "forbidden:not_eligible",
    });
  });

  it("counts a member named by group, email and role once", () => {
    const w = newWorld();
    createGroup(w.db, w.lead, "risk");
    add(w, "risk", w.people.reviewer.email);
    add(w, "risk", w.people.reviewer2.email);
    w.policy(
      "approvals:\n" +
        `  - approvers: [group:risk, ${w.people.reviewer.email}, role:reviewer]\n` +
        "    count: 2\n",
    );
    w.register();
    const request = w.ask(1);
    w.approve("reviewer", request.id);
    expect(w.status(1)).toMatchObject({ status: "pending_review" });
    expect(w.status(1).required_approvals[0]).toMatchObject({ count: 2, approvals: 1 });
    expect(thrown(() => w.approve("reviewer", request.id))).toMatchObject({
      status: 409,
      code: "conflict:already_decided",
    });
    expect(w.approve("reviewer2", request.id).request.status).toBe("approved");
  });

  it("needs every rule: a group rule and a lead rule", () => {
    const w = riskRule(
      "approvals:\n  - name: risk\n    approvers: [group:risk]\n" +
        "  - name: lead\n    approvers: [role:lead]\n",
    );
    w.approve("reviewer", w.req.id);
    expect(w.status(1)).toMatchObject({
      status: "pending_review",
      required_approvals: [
        { rule: "risk", approvals: 1 },
        { rule: "lead", approvals: 0 },
      ],
    });
    w.approve("admin", w.req.id);
    expect(w.status(1).status).toBe("approved");
  });

  it("refuses saving a policy that names a group with no members", () => {
    const w = newWorld();
    createGroup(w.db, w.lead, "empty");
    const error = thrown(() => w.policy("approvals:\n  - approvers: [group:empty]\n"));
    expect(error).toMatchObject({ status: 400, code: "bad_request:policy" });
    expect(error.errors[0]).toMatchObject({
      field: "approvals.0.count",
      rule: "unsatisfiable",
      line: 2,
    });
  });

  it("refuses saving a policy that names a group that does not exist", () => {
    const w = newWorld();
    addUser(w.db, "reviewer");
    const error = thrown(() => w.policy("approvals:\n  - approvers: [group:ghosts]\n"));
    expect(error.errors[0]).toMatchObject({ rule: "unsatisfiable" });
    expect(error.errors[0].message).toContain("match group:ghosts");
  });
});

describe("removing a member a policy needs", () => {
  it("is refused with 409 naming the policy and its rule", () => {
    const w = newWorld();
    const admin = w.as("admin");
    createGroup(w.db, admin, "risk");
    for (const who of [w.people.reviewer, w.people.lead]) {
      changeGroupMember(w.db, admin, { group: "risk", email: who.email, change: "add" });
    }
    w.policy("approvals:\n  - name: risk-review\n    approvers: [group:risk]\n    count: 2\n");
    const error = thrown(() =>
      changeGroupMember(w.db, admin, {
        group: "risk",
        email: w.people.reviewer.email,
        change: "remove",
      }),
    );
    expect(error).toMatchObject({ status: 409, code: "conflict:policy_unsatisfiable" });
    expect(error.message).toContain(`rule "risk-review" of fraud-detector's production policy`);
    expect(w.auditActions()).not.toContain("group.member_removed");
  });
});

// The submitter of a version (a person, or the owner of the token that
// registered it) may not approve it while the policy's allow_self_approval
// is off: admins included, and however the approvers name them.
import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/gate/actor";
import { thrown, tokenActor, userActor } from "../helpers/test-db";
import { gateWorlds, type World } from "../helpers/gate-world";

const newWorld = gateWorlds();

const SELF_APPROVAL_REFUSED =
  "You submitted this version or asked for its approval, and its policy does not allow " +
  "self-approval.";

/** Registers v1 as `submitter` and asks for production as `asker`. */
function submittedBy(w: World, submitter: Actor, asker: Actor = submitter) {
  w.register({}, submitter);
  return w.ask(1, "production", asker);
}

describe("self-approval is off by default", () => {
  it("refuses the lead who registered the version with 403 forbidden:not_eligible", () => {
    const w = newWorld();
    const request = submittedBy(w, w.lead);
    const error = thrown(() => w.approve("lead", request.id));
    expect(error).toMatchObject({ status: 403, code: "forbidden:not_eligible" });
    expect(error.message).toBe(SELF_APPROVAL_REFUSED);
    expect(w.decisions(request.id)).toEqual([]);
    expect(w.status(1).status).toBe("pending_review");
  });

  it("refuses an admin who registered the version", () => {
    const w = newWorld();
    const request = submittedBy(w, w.as("admin"));
    const error = thrown(() => w.approve("admin", request.id));
    expect(error).toMatchObject({ status: 403, code: "forbidden:not_eligible" });
    expect(error.message).toBe(SELF_APPROVAL_REFUSED);
  });

  it("refuses the owner of the token that registered the version", () => {
    const w = newWorld();
    const pipeline = tokenActor(w.db, { owner: w.people.lead }).actor;
    const request = submittedBy(w, pipeline, w.as("reviewer"));
    const error = thrown(() => w.approve("lead", request.id));
    expect(error).toMatchObject({ status: 403, code: "forbidden:not_eligible" });
    expect(error.message).toBe(SELF_APPROVAL_REFUSED);
  });

  it("refuses an admin owning the registering token, deciding through their own decide token", () => {
    const w = newWorld();
    const pipeline = tokenActor(w.db, { owner: w.people.admin }).actor;
    const request = submittedBy(w, pipeline);
    const personal = tokenActor(w.db, { scopes: ["decide"], owner: w.people.admin }).actor;
    const error = thrown(() => w.approve(personal, request.id));
    expect(error).toMatchObject({ status: 403, code: "forbidden:not_eligible" });
  });

  it("refuses the submitter even when the policy names them by email", () => {
    const w = newWorld();
    w.policy(`approvals:\n  - approvers: [${w.people.lead.email}, role:reviewer]\n`);
    const request = submittedBy(w, w.lead);
    expect(thrown(() => w.approve("lead", request.id))).toMatchObject({
      code: "forbidden:not_eligible",
    });
  });

  it("refuses the person who asked for approval of a version a headless token registered", () => {
    const w = newWorld();
    const headless = tokenActor(w.db).actor;
    const request = submittedBy(w, headless, w.as("reviewer"));
    expect(thrown(() => w.approve("reviewer", request.id)).message).toBe(SELF_APPROVAL_REFUSED);
    expect(w.approve("reviewer2", request.id).request.status).toBe("approved");
  });

  it("lets anyone eligible approve when headless tokens registered and asked", () => {
    const w = newWorld();
    const headless = tokenActor(w.db).actor;
    const request = submittedBy(w, headless);
    expect(w.approve("lead", request.id).request.status).toBe("approved");
  });

  it("lets another person approve the submitter's version", () => {
    const w = newWorld();
    const request = submittedBy(w, w.as("admin"));
    expect(w.approve("lead", request.id).request.status).toBe("approved");
    expect(w.status(1).approved_by).toEqual(["Leo Lead"]);
  });

  it("refuses both the registering token's owner and the person who asked", () => {
    const w = newWorld();
    const pipeline = tokenActor(w.db, { owner: w.people.reviewer }).actor;
    const request = submittedBy(w, pipeline, w.lead);
    expect(thrown(() => w.approve("reviewer", request.id)).message).toBe(SELF_APPROVAL_REFUSED);
    expect(thrown(() => w.approve("lead", request.id)).message).toBe(SELF_APPROVAL_REFUSED);
    expect(w.approve("reviewer2", request.id).request.status).toBe("approved");
  });

  it("refuses the owner of the token that asked for approval", () => {
    const w = newWorld();
    const pipeline = tokenActor(w.db, { owner: w.people.admin }).actor;
    const request = submittedBy(w, tokenActor(w.db).actor, pipeline);
    expect(thrown(() => w.approve("admin", request.id)).message).toBe(SELF_APPROVAL_REFUSED);
  });
});

describe("allow_self_approval: true", () => {
  it("lets the lead who registered the version approve it", () => {
    const w = newWorld();
    w.policy("allow_self_approval: true\n");
    const request = submittedBy(w, w.lead);
    expect(w.approve("lead", request.id).request.status).toBe("approved");
  });

  it("lets the owner of the registering token approve", () => {
    const w = newWorld();
    w.policy("allow_self_approval: true\n");
    const pipeline = tokenActor(w.db, { owner: w.people.admin }).actor;
    const request = submittedBy(w, pipeline);
    expect(w.approve("admin", request.id).request.status).toBe("approved");
  });

  it("still needs the rest of the quorum from other people", () => {
    const w = newWorld();
    w.policy("allow_self_approval: true\napprovals:\n  - approvers: [role:lead]\n    count: 2\n");
    const request = submittedBy(w, w.lead);
    expect(w.approve("lead", request.id).request.status).toBe("pending_review");
    expect(w.approve(userActor(w.people.admin), request.id).request.status).toBe("approved");
  });
});

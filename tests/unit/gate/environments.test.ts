// Environments a version may go to: staging and production by default, more
// added by leads, each with its own policy per model.
import { describe, expect, it } from "vitest";
import { listEnvironments } from "@/db/queries/environments";
import { createEnvironment } from "@/lib/gate/environments";
import { readPolicy, saveDefaultPolicy } from "@/lib/gate/policies";
import { thrown, tokenActor, userActor } from "../helpers/test-db";
import { gateWorlds, MODEL } from "../helpers/gate-world";

const newWorld = gateWorlds();

describe("environments", () => {
  it("has staging and production on a fresh installation", () => {
    const w = newWorld();
    expect(listEnvironments(w.db).map((e) => e.name)).toEqual(["staging", "production"]);
  });

  it("lets a lead add one, audited", () => {
    const w = newWorld();
    const canary = createEnvironment(w.db, w.lead, "canary");
    expect(canary.name).toBe("canary");
    expect(listEnvironments(w.db).map((e) => e.name)).toEqual(["staging", "production", "canary"]);
    expect(w.auditEvents("environment.created")[0]).toMatchObject({
      actorName: "Leo Lead",
      subjectId: canary.id,
      summary: "added environment canary",
    });
  });

  it("lets an admin add one", () => {
    const w = newWorld();
    expect(createEnvironment(w.db, userActor(w.people.admin), "eu-west-1").name).toBe("eu-west-1");
  });

  it.each(["reviewer", "viewer"] as const)("refuses a %s adding one with 403", (role) => {
    const w = newWorld();
    const error = thrown(() => createEnvironment(w.db, w.as(role), "canary"));
    expect(error).toMatchObject({ status: 403, code: "forbidden:environments_manage" });
    expect(error.message).toBe(`role ${role} may not add environments.`);
    expect(listEnvironments(w.db)).toHaveLength(2);
  });

  it("refuses a pipeline token adding one with 403", () => {
    const w = newWorld();
    const error = thrown(() => createEnvironment(w.db, tokenActor(w.db).actor, "canary"));
    expect(error).toMatchObject({ status: 403, code: "forbidden:environments_manage" });
  });

  it.each(["Canary", "1canary", "can ary", "can_ary", "", "e".repeat(41)])(
    "refuses the name %j with 400 naming the name field",
    (name) => {
      const w = newWorld();
      const error = thrown(() => createEnvironment(w.db, w.lead, name));
      expect(error).toMatchObject({ status: 400, code: "bad_request:environment_name" });
      expect(error.errors[0]).toMatchObject({ field: "name", rule: "environment_name" });
    },
  );

  it("refuses a name that exists with 409", () => {
    const w = newWorld();
    const error = thrown(() => createEnvironment(w.db, w.lead, "production"));
    expect(error).toMatchObject({ status: 409, code: "conflict:environment_exists" });
    expect(error.message).toBe("Environment production already exists.");
    expect(w.auditEvents("environment.created")).toEqual([]);
  });
});

describe("each environment's own policy", () => {
  const AUTO = "auto_approve: [auc >= 0.9]\n";
  const TWO_PEOPLE = "approvals:\n  - approvers: [role:reviewer]\n    count: 2\n";

  function withCanary() {
    const w = newWorld();
    createEnvironment(w.db, w.lead, "canary");
    w.policy(AUTO, "canary");
    w.policy(TWO_PEOPLE, "production");
    w.register({ auc: 0.95 });
    return w;
  }

  it("judges a request for canary by the canary policy", () => {
    const w = withCanary();
    const request = w.ask(1, "canary");
    expect(request.status).toBe("approved");
    expect(w.status(1, "canary")).toMatchObject({
      environment: "canary",
      status: "approved",
      approved_by: ["policy r1"],
      policy_revision: 1,
    });
  });

  it("judges the same version for production by the production policy", () => {
    const w = withCanary();
    w.ask(1, "canary");
    expect(w.ask(1, "production").status).toBe("pending_review");
    expect(w.status(1, "production").required_approvals[0]).toMatchObject({ count: 2 });
  });

  it("keeps revisions per environment", () => {
    const w = withCanary();
    expect(w.policy("auto_approve: [auc >= 0.99]\n", "canary").revision).toBe(2);
    expect(w.policy(TWO_PEOPLE, "production").revision).toBe(2);
    expect(readPolicy(w.db, w.lead, MODEL, "canary")).toMatchObject({
      scope: "environment",
      revision: 2,
      source: "auto_approve: [auc >= 0.99]\n",
    });
  });

  it("uses the built-in default for an environment with no policy", () => {
    const w = newWorld();
    createEnvironment(w.db, w.lead, "canary");
    w.register({ auc: 0.95 });
    const request = w.ask(1, "canary");
    expect(request).toMatchObject({ status: "pending_review", policyId: null });
    expect(readPolicy(w.db, w.lead, MODEL, "canary")).toMatchObject({
      scope: "built-in default",
      revision: null,
    });
  });

  it("uses the organisation default where an environment has no policy of its own", () => {
    const w = newWorld();
    createEnvironment(w.db, w.lead, "canary");
    saveDefaultPolicy(w.db, w.lead, AUTO);
    w.policy(TWO_PEOPLE, "production");
    w.register({ auc: 0.95 });
    expect(w.ask(1, "canary").status).toBe("approved");
    expect(w.ask(1, "production").status).toBe("pending_review");
    expect(readPolicy(w.db, w.lead, MODEL, "canary")).toMatchObject({
      scope: "organisation default",
      revision: 1,
    });
  });

  it("refuses a policy for an environment that does not exist with 404", () => {
    const w = newWorld();
    const error = thrown(() => w.policy(AUTO, "canary"));
    expect(error).toMatchObject({ status: 404, code: "not_found:environment" });
  });

  it("deploys to canary only with the canary request approved", () => {
    const w = withCanary();
    expect(thrown(() => w.deploy(1, "canary"))).toMatchObject({
      status: 409,
      code: "conflict:not_approved",
    });
    w.ask(1, "canary");
    expect(w.deploy(1, "canary").environment).toBe("canary");
    expect(thrown(() => w.deploy(1, "production")).status).toBe(409);
  });

  it("supersedes only within the same environment", () => {
    const w = newWorld();
    createEnvironment(w.db, w.lead, "canary");
    w.register();
    const canary = w.ask(1, "canary");
    const production = w.ask(1, "production");
    w.register();
    w.ask(2, "canary");
    expect(w.request(canary.id).status).toBe("superseded");
    expect(w.request(production.id).status).toBe("pending_review");
  });
});

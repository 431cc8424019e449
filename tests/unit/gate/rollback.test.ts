// Rollback: a lead returns an environment to the version live before the
// current one, as a deployment and an audited action of its own.
import { describe, expect, it } from "vitest";
import { getEnvironmentByName } from "@/db/queries/environments";
import { getModelByName } from "@/db/queries/models";
import { deployments } from "@/db/schema";
import { recordDeployment } from "@/lib/gate/deployments";
import { liveVersionOf } from "@/lib/gate/live-version";
import { rollbackDeployment } from "@/lib/gate/rollback";
import { MODEL, gateWorlds, type World } from "../helpers/gate-world";
import { thrown, tokenActor } from "../helpers/test-db";

const newWorld = gateWorlds();

/** v1, v2 and v3 approved automatically and deployed to production in turn. */
function threeDeployed(): World {
  const w = newWorld();
  w.policy("auto_approve: [auc >= 0.5]\n");
  for (const auc of [0.8, 0.85, 0.9]) {
    const n = w.register({ auc });
    w.ask(n);
    w.deploy(n);
  }
  return w;
}

const back = (w: World, who: Parameters<World["as"]>[0], body: object) =>
  rollbackDeployment(w.db, w.as(who), MODEL, {
    environment: "production",
    reason: "p95 latency doubled",
    ...body,
  });

function live(w: World) {
  const model = getModelByName(w.db, MODEL)!;
  const env = getEnvironmentByName(w.db, "production")!;
  return liveVersionOf(w.db, model.id, env.id);
}

describe("rolling back", () => {
  it("makes the previous version live again with a rollback row linked to its approval", () => {
    const w = threeDeployed();
    const result = back(w, "lead", { expected_version: 3 });
    expect(result).toMatchObject({ from: 3, to: 2, environment: "production" });
    expect(live(w)).toMatchObject({ number: 2, values: { auc: 0.85 } });

    const row = w.db.select().from(deployments).all().at(-1)!;
    const approved = w.auditEvents("request.approved").map((e) => e.subjectId);
    expect(row).toMatchObject({
      kind: "rollback",
      reason: "p95 latency doubled",
      deployedByUserId: w.people.lead.id,
    });
    // v2's request is the second one approved.
    expect(row.requestId).toBe(approved[1]);
  });

  it("records deployment.rolled_back with the versions, the reason and the actor", () => {
    const w = threeDeployed();
    back(w, "admin", { expected_version: 3, reason: "  bad canary  " });
    const [event] = w.auditEvents("deployment.rolled_back");
    expect(event).toMatchObject({
      actorType: "user",
      actorName: "Ada Admin",
      subjectType: "deployment",
      summary: `rolled back ${MODEL} in production from v3 to v2: bad canary`,
      details: { environment: "production", from_version: 3, to_version: 2, reason: "bad canary" },
    });
  });

  it("steps back again on a second rollback, then says there is nothing left", () => {
    const w = threeDeployed();
    back(w, "lead", { expected_version: 3 });
    expect(back(w, "lead", { expected_version: 2 })).toMatchObject({ from: 2, to: 1 });
    const error = thrown(() => back(w, "lead", { expected_version: 1 }));
    expect(error).toMatchObject({ status: 409, code: "conflict:nothing_to_roll_back" });
    expect(error.message).toContain("v1 is the only version left");
  });

  it("changes what the gate compares a new candidate with", () => {
    const w = threeDeployed();
    w.policy(
      "auto_approve: [auc >= 0.5]\ncompare_to_deployed:\n  - metric: auc\n    max_drop: 0.01\n",
    );
    back(w, "lead", { expected_version: 3 });
    // 0.86 is a drop from v3's 0.9 but not from v2's 0.85, which is live now.
    const v4 = w.register({ auc: 0.86 });
    expect(w.ask(v4).status).toBe("approved");
  });

  it("leaves recording the restored version again as a no-op for pipelines", () => {
    const w = threeDeployed();
    back(w, "lead", { expected_version: 3 });
    expect(recordDeployment(w.db, w.lead, MODEL, 2, { environment: "production" }).created).toBe(
      false,
    );
    expect(recordDeployment(w.db, w.lead, MODEL, 3, { environment: "production" }).created).toBe(
      true,
    );
    expect(live(w)?.number).toBe(3);
  });
});

describe("who may roll back", () => {
  it.each(["reviewer", "viewer"] as const)("refuses a %s with 403 and writes nothing", (role) => {
    const w = threeDeployed();
    const before = w.rowCounts();
    expect(thrown(() => back(w, role, { expected_version: 3 }))).toMatchObject({
      status: 403,
      code: "forbidden:deployments_rollback",
    });
    expect(w.rowCounts()).toEqual(before);
  });

  it("refuses a pipeline token even with every scope", () => {
    const w = threeDeployed();
    const { actor } = tokenActor(w.db, {
      scopes: ["register", "request", "read", "deploy", "decide", "policy"],
    });
    const error = thrown(() =>
      rollbackDeployment(w.db, actor, MODEL, {
        environment: "production",
        expected_version: 3,
        reason: "x",
      }),
    );
    expect(error).toMatchObject({ status: 403 });
    expect(live(w)?.number).toBe(3);
  });
});

describe("refusals", () => {
  it("gives one rollback and one 409 to two leads who saw the same live version", () => {
    const w = threeDeployed();
    const second = w.as("admin");
    back(w, "lead", { expected_version: 3 });
    const error = thrown(() =>
      rollbackDeployment(w.db, second, MODEL, {
        environment: "production",
        expected_version: 3,
        reason: "same click",
      }),
    );
    expect(error).toMatchObject({ status: 409, code: "conflict:live_version_changed" });
    expect(error.message).toContain("is now v2, not v3");
    expect(w.auditEvents("deployment.rolled_back")).toHaveLength(1);
    expect(live(w)?.number).toBe(2);
  });

  it("answers 409 when nothing is deployed or only one version was", () => {
    const w = newWorld();
    w.policy("auto_approve: [auc >= 0.5]\n");
    const v1 = w.register({ auc: 0.9 });
    expect(thrown(() => back(w, "lead", { expected_version: 1 })).message).toContain(
      "Nothing has been deployed",
    );
    w.ask(v1);
    w.deploy(v1);
    expect(thrown(() => back(w, "lead", { expected_version: 1 }))).toMatchObject({
      status: 409,
      code: "conflict:nothing_to_roll_back",
    });
  });

  it("requires a reason, naming the field", () => {
    const w = threeDeployed();
    const error = thrown(() => back(w, "lead", { expected_version: 3, reason: "   " }));
    expect(error).toMatchObject({ status: 400 });
    expect(error.errors).toEqual([
      expect.objectContaining({
        field: "reason",
        message: "reason: is required: say why you roll back",
      }),
    ]);
    expect(live(w)?.number).toBe(3);
  });

  it("says which model or environment does not exist", () => {
    const w = threeDeployed();
    expect(
      thrown(() =>
        rollbackDeployment(w.db, w.lead, "no-such-model", {
          environment: "production",
          expected_version: 1,
          reason: "x",
        }),
      ),
    ).toMatchObject({ status: 404 });
    expect(
      thrown(() => back(w, "lead", { environment: "moon", expected_version: 1 })),
    ).toMatchObject({
      status: 404,
    });
  });
});

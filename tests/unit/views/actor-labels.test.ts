// One actor reads the same on every page that names it: the version page's
// header, the review queue, the model page's deployments and the audit page.
import { describe, expect, it } from "vitest";
import { recordDeployment } from "@/lib/gate/deployments";
import { requestApproval } from "@/lib/gate/requests";
import { registerVersion } from "@/lib/gate/versions";
import { DEFAULT_FILTERS } from "@/lib/queue/filters";
import { getAuditPage } from "@/lib/views/audit-page";
import { getModelPage } from "@/lib/views/model-page";
import { getQueuePage } from "@/lib/views/queue";
import { getVersionPage } from "@/lib/views/version-page";
import { gateWorlds, MODEL, type World } from "../helpers/gate-world";
import { tokenActor } from "../helpers/test-db";

const newWorld = gateWorlds();

/** v1 approved and deployed by the token, v2 registered and waiting for review. */
function workedBy(w: World, token: ReturnType<typeof tokenActor>) {
  w.policy("auto_approve: [accuracy >= 0.5]\napprovals:\n  - approvers: [role:reviewer]\n");
  const metrics = (value: number) => ({ metrics: [{ name: "accuracy", value }] });
  registerVersion(w.db, token.actor, MODEL, metrics(0.9));
  requestApproval(w.db, token.actor, MODEL, 1, { environment: "production" });
  recordDeployment(w.db, token.actor, MODEL, 1, { environment: "production" });
  registerVersion(w.db, token.actor, MODEL, metrics(0.4));
  requestApproval(w.db, token.actor, MODEL, 2, { environment: "production" });
}

function labelsOnEachPage(w: World) {
  const version = getVersionPage(w.db, w.people.lead, MODEL, 2);
  const queue = getQueuePage(w.db, w.people.lead, DEFAULT_FILTERS);
  const model = getModelPage(w.db, w.people.lead, MODEL, null);
  const audit = getAuditPage(w.db, w.people.lead, { action: "version.registered" });
  return {
    versionHeader: version.version.submitter,
    versionRequest: version.requests[0]?.requestedBy,
    queue: queue.items.map((i) => i.submitter),
    modelDeployments: model.timelines.flatMap((t) => t.entries.map((e) => e.by)),
    audit: [...new Set(audit.events.map((e) => e.actorName))],
  };
}

describe("the name of a token", () => {
  it("is token:<name> on the version, queue, model and audit pages", () => {
    const w = newWorld();
    workedBy(w, tokenActor(w.db, { name: "nightly" }));
    expect(labelsOnEachPage(w)).toEqual({
      versionHeader: "token:nightly",
      versionRequest: "token:nightly",
      queue: ["token:nightly"],
      modelDeployments: ["token:nightly"],
      audit: ["token:nightly"],
    });
  });

  it("carries its owner's name wherever the page knows the owner", () => {
    const w = newWorld();
    workedBy(w, tokenActor(w.db, { name: "leo-cli", owner: w.people.lead }));
    expect(labelsOnEachPage(w)).toEqual({
      versionHeader: "Leo Lead (token:leo-cli)",
      versionRequest: "Leo Lead (token:leo-cli)",
      queue: ["Leo Lead (token:leo-cli)"],
      modelDeployments: ["Leo Lead (token:leo-cli)"],
      // The audit keeps the token's own name, which its actor filter matches.
      audit: ["token:leo-cli"],
    });
  });
});

// A reviewer decides on the numbers their page showed. When a pipeline adds or
// replaces metrics after the page was opened, a decision naming the older
// metrics revision is refused with 409 and records nothing; the reviewer
// sees the new values and decides again.
import { describe, expect, it } from "vitest";
import { decideRequest } from "@/lib/gate/decide";
import { getVersionPage } from "@/lib/views/version-page";
import { onAnyRequestChange } from "@/lib/gate/request-events";
import { thrown } from "../helpers/test-db";
import { gateWorlds, MODEL } from "../helpers/gate-world";

const newWorld = gateWorlds();
const REVIEWED = "approvals:\n  - approvers: [role:reviewer]\n";

function underReview() {
  const w = newWorld();
  w.policy(REVIEWED);
  w.register({ accuracy: 0.9 });
  const request = w.ask(1);
  expect(request.status).toBe("pending_review");
  const seen = getVersionPage(w.db, w.people.reviewer, MODEL, 1).version.metricsRevision;
  return { ...w, req: request, seen };
}

describe("a decision made on metrics that changed since the page was opened", () => {
  it("is refused with 409 metrics_changed, and nothing is recorded", () => {
    const w = underReview();
    w.addMetrics(1, { accuracy: 0.1 });
    const before = w.rowCounts();
    const error = thrown(() =>
      decideRequest(w.db, w.as("reviewer"), w.req.id, {
        decision: "approve",
        metrics_revision: w.seen,
      }),
    );
    expect(error).toMatchObject({ status: 409, code: "conflict:metrics_changed" });
    expect(error.message).toMatch(/changed after you opened it/);
    expect(w.rowCounts()).toEqual(before);
    expect(w.request(w.req.id).status).toBe("pending_review");
  });

  it("goes through once made on the revision the page now shows", () => {
    const w = underReview();
    w.addMetrics(1, { accuracy: 0.95 });
    const now = getVersionPage(w.db, w.people.reviewer, MODEL, 1).version.metricsRevision;
    expect(now).toBe(w.seen + 1);
    decideRequest(w.db, w.as("reviewer"), w.req.id, {
      decision: "approve",
      metrics_revision: now,
    });
    expect(w.request(w.req.id).status).toBe("approved");
  });

  it("goes through when the metrics did not change", () => {
    const w = underReview();
    decideRequest(w.db, w.as("reviewer"), w.req.id, {
      decision: "approve",
      metrics_revision: w.seen,
    });
    expect(w.request(w.req.id).status).toBe("approved");
  });

  it("is not checked for an API caller that names no revision", () => {
    const w = underReview();
    w.addMetrics(1, { accuracy: 0.95 });
    w.approve("reviewer", w.req.id);
    expect(w.request(w.req.id).status).toBe("approved");
  });

  it("refuses a revision that is not a whole number, naming the field", () => {
    const w = underReview();
    const error = thrown(() =>
      decideRequest(w.db, w.as("reviewer"), w.req.id, {
        decision: "approve",
        metrics_revision: "latest",
      }),
    );
    expect(error.status).toBe(400);
    expect(JSON.stringify(error.errors)).toContain("metrics_revision");
  });
});

describe("metrics added to a version with an open request", () => {
  it("announce that request as changed, though its status stays the same", async () => {
    const w = underReview();
    const heard: number[] = [];
    const stop = onAnyRequestChange((id) => heard.push(id));
    try {
      w.addMetrics(1, { accuracy: 0.91 });
      await new Promise((resolve) => setImmediate(resolve));
      expect(w.request(w.req.id).status).toBe("pending_review");
      expect(heard).toContain(w.req.id);
    } finally {
      stop();
    }
  });
});

describe("the gate status right after new metrics", () => {
  it("shows the new metrics revision at once, not a shared older answer", () => {
    const w = underReview();
    expect(w.status(1).metrics_revision).toBe(w.seen);
    w.addMetrics(1, { accuracy: 0.93 });
    expect(w.status(1).metrics_revision).toBe(w.seen + 1);
  });
});

describe("the same metrics sent again", () => {
  it("leave the revision as it is, so the reviewer's decision still goes through", () => {
    const w = underReview();
    w.addMetrics(1, { accuracy: 0.9 });
    decideRequest(w.db, w.as("reviewer"), w.req.id, {
      decision: "approve",
      metrics_revision: w.seen,
    });
    expect(w.request(w.req.id).status).toBe("approved");
  });
});

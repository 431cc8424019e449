// What the review page is built from: a live v1 in production and a
// candidate v2, judged by a policy with an auto-approval threshold, a floor
// and a comparison with the live version.
import { describe, expect, it, vi } from "vitest";
import { rollbackDeployment } from "@/lib/gate/rollback";
import { addMetrics, registerVersion } from "@/lib/gate/versions";
import { getVersionPage } from "@/lib/views/version-page";
import { gateWorlds, MODEL } from "../helpers/gate-world";

const newWorld = gateWorlds();

const POLICY = `
required_metrics: [accuracy]
auto_approve: [accuracy >= 0.95]
auto_reject: [latency_ms > 300]
compare_to_deployed:
  - metric: accuracy
    max_drop: 0.01
approvals:
  - approvers: [role:reviewer]
`;

function liveAndCandidate() {
  const w = newWorld();
  w.policy(POLICY);
  registerVersion(w.db, w.lead, MODEL, {
    params: { lr: 0.1, depth: 6, optimizer: "adam" },
    tags: { team: "risk" },
    metrics: [
      { name: "accuracy", value: 0.955 },
      { name: "latency_ms", value: 120 },
      { name: "recall", value: 0.7 },
    ],
  });
  const first = w.ask(1);
  expect(w.request(first.id).status).toBe("approved");
  w.deploy(1);
  registerVersion(w.db, w.lead, MODEL, {
    params: { lr: 0.05, depth: 6, dropout: 0.2 },
    tags: { team: "risk", repository_url: "https://github.com/acme/fraud" },
    commit: "0123456789abcdef0123456789abcdef01234567",
    run_id: "run-42",
    pipeline_run_url: "javascript:alert(document.cookie)",
    source_uri: "s3://models/fraud/2.pkl",
    metrics: [
      { name: "accuracy", value: 0.94996 },
      { name: "latency_ms", value: 250 },
      { name: "f1", value: 0.81 },
      ...Array.from({ length: 5000 }, (_, i) => ({ name: "loss", value: 1 / (i + 1), step: i })),
    ],
  });
  const second = w.ask(2);
  return { w, requestId: second.id };
}

describe("the comparison table", () => {
  it("lists every metric of either version and of the policy, with its checks", () => {
    const { w } = liveAndCandidate();
    const page = getVersionPage(w.db, w.people.reviewer, MODEL, 2);
    const [request] = page.requests;
    const rows = Object.fromEntries(request?.comparisons.map((c) => [c.metric, c]) ?? []);
    expect(Object.keys(rows)).toEqual(["accuracy", "f1", "latency_ms", "loss", "recall"]);
    expect(rows.accuracy).toMatchObject({ candidate: 0.94996, deployed: 0.955, required: true });
    expect(rows.accuracy?.checks.map((c) => [c.text, c.pass])).toEqual([
      ["accuracy >= 0.95", false],
      ["accuracy >= live − 0.01", true],
    ]);
    expect(rows.latency_ms?.checks.map((c) => [c.text, c.pass])).toEqual([
      ["floor: latency_ms <= 300", true],
    ]);
    expect(rows.recall).toMatchObject({ candidate: null, deployed: 0.7, checks: [] });
    expect(rows.f1).toMatchObject({ candidate: 0.81, deployed: null, checks: [] });
    expect(request?.live).toMatchObject({ version: 1, isThis: false });
  });
});

describe("parameters and tags", () => {
  it("are diffed against the version live in the request's environment", () => {
    const { w } = liveAndCandidate();
    const [request] = getVersionPage(w.db, w.people.reviewer, MODEL, 2).requests;
    expect(request?.paramsDiff).toEqual([
      { key: "lr", status: "changed", before: "0.1", after: "0.05" },
      { key: "dropout", status: "added", before: null, after: "0.2" },
      { key: "optimizer", status: "removed", before: "adam", after: null },
      { key: "depth", status: "unchanged", before: "6", after: "6" },
    ]);
    expect(request?.tagsDiff?.map((r) => [r.key, r.status])).toEqual([
      ["repository_url", "added"],
      ["team", "unchanged"],
    ]);
  });

  it("are diffed against the previous version when nothing is live, and say so", () => {
    const w = newWorld();
    registerVersion(w.db, w.lead, MODEL, { params: { lr: 0.1 }, tags: { team: "risk" } });
    registerVersion(w.db, w.lead, MODEL, { params: { lr: 0.2 }, tags: { team: "risk" } });
    w.ask(2);
    const page = getVersionPage(w.db, w.people.reviewer, MODEL, 2);
    expect(page.requests[0]?.live).toBeNull();
    expect(page.previousDiff).toEqual({
      against: "v1, the previous version; nothing is live in production",
      params: [{ key: "lr", status: "changed", before: "0.1", after: "0.2" }],
      tags: [{ key: "team", status: "unchanged", before: "risk", after: "risk" }],
    });
  });

  it("are not diffed against the previous version when a live one is compared", () => {
    const { w } = liveAndCandidate();
    expect(getVersionPage(w.db, w.people.reviewer, MODEL, 2).previousDiff).toBeNull();
  });

  it("are not diffed when nothing was live before the version", () => {
    const { w } = liveAndCandidate();
    const [request] = getVersionPage(w.db, w.people.reviewer, MODEL, 1).requests;
    expect(request?.live).toBeNull();
    expect(request?.paramsDiff).toBeNull();
  });
});

describe("a decided request", () => {
  it("is compared with the version live when it was decided, not the one live now", () => {
    const w = newWorld();
    w.policy("auto_approve: [accuracy >= 0.5]\n");
    vi.useFakeTimers({ toFake: ["Date"] });
    [0.8, 0.85, 0.9].forEach((accuracy, i) => {
      vi.setSystemTime(new Date(Date.UTC(2031, 4, 1, 10, i * 10)));
      w.register({ accuracy });
      w.ask(i + 1);
      vi.setSystemTime(new Date(Date.UTC(2031, 4, 1, 10, i * 10 + 5)));
      w.deploy(i + 1);
    });
    const [request] = getVersionPage(w.db, w.people.viewer, MODEL, 2).requests;
    expect(request?.live).toMatchObject({ version: 1, isThis: false });
    expect(request?.comparisons[0]).toMatchObject({ candidate: 0.85, deployed: 0.8 });
  });
});

describe("source links", () => {
  it("never make a javascript: address a link and link the commit through the repository tag", () => {
    const { w } = liveAndCandidate();
    const { sources } = getVersionPage(w.db, w.people.viewer, MODEL, 2);
    const by = Object.fromEntries(sources.map((s) => [s.label, s]));
    expect(by["Pipeline run"]).toMatchObject({
      href: null,
      refused: "not a link: only http(s) addresses become links",
    });
    expect(by.Commit?.href).toBe(
      "https://github.com/acme/fraud/commit/0123456789abcdef0123456789abcdef01234567",
    );
    expect(by.Run).toMatchObject({ text: "run-42", href: null });
    expect(by.Source).toMatchObject({ text: "s3://models/fraud/2.pkl", href: null, refused: null });
  });
});

describe("series", () => {
  it("reach the page downsampled, with the real last value and count", () => {
    const { w } = liveAndCandidate();
    const { series } = getVersionPage(w.db, w.people.viewer, MODEL, 2);
    const line = series[0]?.lines[0];
    expect(series.map((s) => s.metric)).toEqual(["loss"]);
    expect(line?.count).toBe(5000);
    expect(line?.points.length).toBeLessThanOrEqual(500);
    expect(line?.last).toEqual({ step: 4999, value: 1 / 5000 });
  });
});

describe("the timeline", () => {
  it("tells the request's history oldest first, with the note and a dismissed decision", () => {
    const w = newWorld();
    w.policy("required_metrics: [auc]\napprovals:\n  - approvers: [role:reviewer]\n");
    w.register({ accuracy: 0.9 });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2031-05-01T10:00:00Z"));
    const request = w.ask(1);
    vi.setSystemTime(new Date("2031-05-01T10:01:00Z"));
    w.addMetrics(1, { auc: 0.9 });
    vi.setSystemTime(new Date("2031-05-01T10:02:00Z"));
    w.approve("reviewer", request.id);
    vi.setSystemTime(new Date("2031-05-01T10:03:00Z"));
    w.addMetrics(1, { auc: 0.8 });
    vi.setSystemTime(new Date("2031-05-01T10:04:00Z"));
    w.approve("reviewer", request.id);
    vi.setSystemTime(new Date("2031-05-01T10:05:00Z"));
    w.deploy(1);

    const { timeline } = getVersionPage(w.db, w.people.viewer, MODEL, 1);
    expect(timeline.map((e) => e.title)).toEqual([
      "Registered",
      "Approval requested for production",
      "Policy: awaiting metrics",
      "Metrics recorded",
      "Policy: pending review",
      "Approved",
      "Request approved",
      "Metrics recorded",
      "Decisions dismissed",
      "Approved",
      "Request approved",
      "Deployed to production",
    ]);
    const times = timeline.map((e) => e.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const approvals = timeline.filter((e) => e.title === "Approved");
    expect(approvals[0]?.dismissedAt).toEqual(new Date("2031-05-01T10:03:00Z"));
    expect(approvals[1]?.dismissedAt).toBeNull();
    expect(timeline.find((e) => e.title === "Decisions dismissed")?.detail).toContain(
      "auc 0.9 → 0.8",
    );
    expect(timeline.at(-1)?.request).toEqual({ id: request.id, environment: "production" });
  });
});

describe("the timeline after a rollback", () => {
  it("ends with the rollback to this version and its reason", () => {
    const w = newWorld();
    w.policy("auto_approve: [accuracy >= 0.5]\n");
    for (const version of [1, 2]) {
      w.register({ accuracy: 0.9 });
      w.ask(version);
      w.deploy(version);
    }
    rollbackDeployment(w.db, w.lead, MODEL, {
      environment: "production",
      expected_version: 2,
      reason: "v2 doubles the p95 latency",
    });
    const { timeline } = getVersionPage(w.db, w.people.viewer, MODEL, 1);
    expect(timeline.at(-1)).toMatchObject({
      title: "Rolled back to this version in production",
      detail: "v2 doubles the p95 latency",
      who: "Leo Lead",
    });
  });
});

describe("the timeline of a superseded request", () => {
  it("says which newer version replaced it", () => {
    const w = newWorld();
    w.register({ accuracy: 0.9 });
    w.register({ accuracy: 0.91 });
    const first = w.ask(1);
    const second = w.ask(2);
    const { timeline } = getVersionPage(w.db, w.people.viewer, MODEL, 1);
    expect(timeline.at(-1)).toMatchObject({
      title: "Request superseded",
      who: "system",
      detail: `superseded by v2 (request #${second.id})`,
      request: { id: first.id, environment: "production" },
    });
  });
});

describe("a closed request's diff against the previous version", () => {
  it("says nothing was live when it was superseded, and that v1 is live now", () => {
    const w = newWorld();
    w.policy("approvals:\n  - approvers: [role:reviewer]\n");
    vi.useFakeTimers({ toFake: ["Date"] });
    const at = (minute: number) => vi.setSystemTime(new Date(Date.UTC(2031, 4, 1, 10, minute)));
    at(0);
    registerVersion(w.db, w.lead, MODEL, { params: { lr: 0.1 } });
    w.approve("reviewer", w.ask(1).id);
    registerVersion(w.db, w.lead, MODEL, { params: { lr: 0.2 } });
    const v2 = w.ask(2);
    at(1);
    registerVersion(w.db, w.lead, MODEL, { params: { lr: 0.3 } });
    w.ask(3); // supersedes v2's request while nothing is live
    at(2);
    w.deploy(1); // v1 is live now, as in the demo's recorded run
    const page = getVersionPage(w.db, w.people.reviewer, MODEL, 2);
    expect(page.previousDiff?.against).toBe(
      "v1, the previous version, live in production now; " +
        `nothing was live in production when request #${v2.id} was superseded`,
    );
  });
});

describe("values recorded in several splits", () => {
  it("are all listed, the judged one marked, while the comparison judges one", () => {
    const w = newWorld();
    registerVersion(w.db, w.lead, MODEL, {
      metrics: [
        { name: "precision", value: 0.91, split: "test" },
        { name: "precision", value: 0.2 },
        { name: "recall", value: 0.8 },
      ],
    });
    const page = getVersionPage(w.db, w.people.reviewer, MODEL, 1);
    expect(page.values).toEqual([
      ["precision", 0.91],
      ["recall", 0.8],
    ]);
    expect(page.bySplit).toEqual([
      { metric: "precision", split: null, value: 0.2, step: null, judged: false },
      { metric: "precision", split: "test", value: 0.91, step: null, judged: true },
    ]);
  });
});

describe("a value added without a split to a version measured on the test split", () => {
  it("is on the page beside the test value the request is judged on, each with its split", () => {
    const w = newWorld();
    w.policy("approvals:\n  - approvers: [role:reviewer]\n");
    registerVersion(w.db, w.lead, MODEL, {
      metrics: [
        { name: "precision", value: 0.91, split: "test" },
        { name: "recall", value: 0.8, split: "test" },
        { name: "latency_ms", value: 40 },
      ],
    });
    w.ask(1);
    addMetrics(w.db, w.lead, MODEL, 1, { metrics: [{ name: "precision", value: 0.2 }] });
    const page = getVersionPage(w.db, w.people.reviewer, MODEL, 1);
    const rows = page.requests[0]?.comparisons.map((c) => [c.metric, c.candidate, c.split]);
    expect(rows).toEqual([
      ["latency_ms", 40, null],
      ["precision", 0.91, "test"],
      ["recall", 0.8, "test"],
    ]);
    expect(page.bySplit.map((v) => [v.metric, v.split, v.value, v.judged])).toEqual([
      ["precision", null, 0.2, false],
      ["precision", "test", 0.91, true],
    ]);
  });
});

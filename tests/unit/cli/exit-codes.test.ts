// The CLI as a pipeline runs it (a child `node` process) against a mock of
// the API: exit codes, what goes to stdout and stderr, what is sent.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../../cli/approval-gate.mjs";
import {
  approvalScript,
  closedPort,
  gate,
  problem,
  runCli,
  startMockGate,
  TOKEN,
  type Answer,
} from "./mock-gate";

const TARGET = ["--model", "fraud-detector", "--version", "3"];
const WAIT = ["wait", ...TARGET, "--timeout", "20", "--poll", "1"];

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function mockGate(route: Parameters<typeof startMockGate>[0]) {
  const mock = await startMockGate(route);
  cleanups.push(mock.close);
  return mock;
}

const ok = (body: unknown, status = 200): Answer => ({ status, body });

describe("approval-gate wait", () => {
  it("exits 0 once the request is approved and prints each change", async () => {
    const mock = await mockGate(
      approvalScript([
        ok(gate("pending_review")),
        ok(gate("pending_review")),
        ok(gate("approved", { approved_by: ["Rita Reviewer"] })),
      ]),
    );
    const run = await runCli([...WAIT, "--url", mock.url]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim().split("\n")).toEqual([
      "fraud-detector v3 (production): pending_review - waiting for 1 approval; " +
        "review at http://gate.test/models/fraud-detector/versions/3",
      "fraud-detector v3 (production): approved - approved by Rita Reviewer",
    ]);
    const polls = mock.seen.filter((s) => s.method === "GET");
    expect(polls[0]?.path).toBe("/api/v1/models/fraud-detector/versions/3/approval");
    expect(polls[0]?.query.get("environment")).toBe("production");
    // The first look answers at once; the next ones long-poll.
    expect(polls[0]?.query.get("wait")).toBe("0");
    expect(polls[1]?.query.get("wait")).toBe("1");
  });

  it("exits 1 on rejection and prints the reason, the comments and on_reject", async () => {
    const rejected = gate("rejected", {
      reason: "rejected by Rita Reviewer",
      on_reject: "fail_pipeline",
      decisions: [
        {
          by: "Rita Reviewer",
          automatic: false,
          decision: "reject",
          comment: "Recall dropped below the production model.",
          at: "2026-03-01T10:00:00.000Z",
        },
      ],
    });
    const mock = await mockGate(approvalScript([ok(rejected)]));
    const run = await runCli([...WAIT, "--url", mock.url]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("rejected - reason: rejected by Rita Reviewer");
    expect(run.stdout).toContain(
      "Rita Reviewer rejected at 2026-03-01T10:00:00.000Z: Recall dropped below the production model.",
    );
    expect(run.stdout).toContain("on_reject: fail_pipeline");
  });

  it.each(["expired", "cancelled", "superseded"])("exits 2 when the request is %s", async (s) => {
    const mock = await mockGate(approvalScript([ok(gate(s, { reason: `request ${s}` }))]));
    const run = await runCli([...WAIT, "--url", mock.url]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(`${s} - reason: request ${s}`);
  });

  it("exits 2 when nobody decides before --timeout", async () => {
    const mock = await mockGate(approvalScript([ok(gate("pending_review"))]));
    const started = Date.now();
    const run = await runCli(["wait", ...TARGET, "--timeout", "1", "--url", mock.url]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(
      "gave up after 1s (--timeout): fraud-detector v3 is still pending_review",
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("with --json prints only the final gate status on stdout, progress on stderr", async () => {
    const approved = gate("approved", { approved_by: ["Rita Reviewer"] });
    const mock = await mockGate(approvalScript([ok(gate("pending_review")), ok(approved)]));
    const run = await runCli([...WAIT, "--url", mock.url, "--json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(approved);
    expect(run.stderr).toContain("pending_review");
  });

  it("exits 3 with the problem's detail when the version has no request", async () => {
    const detail =
      "fraud-detector v3 has no approval request for production; POST to " +
      "/api/v1/models/fraud-detector/versions/3/approval first.";
    const mock = await mockGate(() => problem(404, "not_found:request", detail));
    const run = await runCli([...WAIT, "--url", mock.url]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`HTTP 404 not_found:request: ${detail}`);
  });

  it("exits 3 when the token is refused, without printing it", async () => {
    const mock = await mockGate(approvalScript([ok(gate("approved"))]));
    const run = await runCli([...WAIT, "--url", mock.url], { APPROVAL_GATE_TOKEN: "wrong" });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("HTTP 401 unauthorized:credentials");
    expect(run.stderr + run.stdout).not.toContain("wrong");
  });

  it("exits 3 on a usage error and when no token is set", async () => {
    const noTimeout = await runCli(["wait", ...TARGET]);
    expect(noTimeout.code).toBe(3);
    expect(noTimeout.stderr).toContain("--timeout is required");
    const noToken = await runCli(WAIT, { APPROVAL_GATE_TOKEN: "" });
    expect(noToken.code).toBe(3);
    expect(noToken.stderr).toContain("set APPROVAL_GATE_TOKEN");
  });
});

describe("connection failures", () => {
  it("exit 3 when nothing listens at --url", async () => {
    const port = await closedPort();
    const run = await runCli(["status", ...TARGET, "--url", `http://127.0.0.1:${port}`]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`cannot reach the approval gate at http://127.0.0.1:${port}`);
    expect(run.stderr).toContain("ECONNREFUSED");
  });

  it("are retried a few times while waiting, then the wait goes on", async () => {
    const mock = await mockGate(
      approvalScript([
        problem(503, "unavailable", "restarting"),
        problem(502, "bad_gateway", "proxy"),
        ok(gate("approved")),
      ]),
    );
    const err: string[] = [];
    const code = await main([...WAIT, "--url", mock.url], {
      env: { APPROVAL_GATE_TOKEN: TOKEN },
      out: () => {},
      err: (line) => err.push(line),
      sleep: async () => {},
    });
    expect(code).toBe(0);
    expect(err).toEqual([
      "gate unavailable (HTTP 503); retry 1/3 in 3s",
      "gate unavailable (HTTP 502); retry 2/3 in 3s",
    ]);
  });

  it("end in exit 3 when they persist", async () => {
    const mock = await mockGate(() => problem(503, "unavailable", "down for maintenance"));
    const err: string[] = [];
    const code = await main([...WAIT, "--url", mock.url], {
      env: { APPROVAL_GATE_TOKEN: TOKEN },
      out: () => {},
      err: (line) => err.push(line),
      sleep: async () => {},
    });
    expect(code).toBe(3);
    expect(mock.seen).toHaveLength(4);
    expect(err.at(-1)).toContain("HTTP 503 unavailable: down for maintenance");
  });

  it("are not retried for a POST, which a server without idempotency keys would run twice", async () => {
    const mock = await mockGate(() => problem(503, "unavailable", "restarting"));
    const code = await main(["register", "--model", "m", "--url", mock.url], {
      env: { APPROVAL_GATE_TOKEN: TOKEN },
      out: () => {},
      err: () => {},
      sleep: async () => {},
    });
    expect(code).toBe(3);
    expect(mock.seen).toHaveLength(1);
  });
});

describe("approval-gate register, request, status, deployed", () => {
  it("register prints the version number alone and sends the metrics with an idempotency key", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mag-cli-"));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, "metrics.json");
    fs.writeFileSync(file, JSON.stringify([{ name: "accuracy", value: 0.93, split: "test" }]));
    const mock = await mockGate(() =>
      ok({ model: "fraud-detector", version: 4, metrics: 2, url: "http://gate.test/v4" }, 201),
    );
    const run = await runCli([
      "register",
      "--model",
      "fraud-detector",
      "--metrics-file",
      file,
      "--metric",
      "auc=0.97@test",
      "--param",
      "C=0.5",
      "--url",
      mock.url,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe("4\n");
    expect(run.stderr).toContain(
      "registered fraud-detector v4 with 2 metrics: http://gate.test/v4",
    );
    const [post] = mock.seen;
    expect(post?.path).toBe("/api/v1/models/fraud-detector/versions");
    expect(post?.headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(post?.body).toEqual({
      params: { C: 0.5 },
      tags: {},
      metrics: [
        { name: "accuracy", value: 0.93, split: "test" },
        { name: "auc", value: 0.97, split: "test" },
      ],
    });
  });

  it("register --json prints the server's answer; a validation error exits 3 with its messages", async () => {
    const answer = { model: "m", version: 1, metrics: 0 };
    const good = await mockGate(() => ok(answer, 201));
    const run = await runCli(["register", "--model", "m", "--json", "--url", good.url]);
    expect(JSON.parse(run.stdout)).toEqual(answer);

    const bad = await mockGate(() =>
      problem(400, "bad_request:validation", "Invalid version: tags.team: must be a string", [
        { field: "tags.team", rule: "invalid_type", message: "tags.team: must be a string" },
        { field: "params.x", rule: "custom", message: "params.x: must be a finite number" },
      ]),
    );
    const refused = await runCli(["register", "--model", "m", "--url", bad.url]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      "POST /api/v1/models/m/versions failed: HTTP 400 bad_request:validation: " +
        "Invalid version: tags.team: must be a string\n  - params.x: must be a finite number",
    );
  });

  it("request and status exit 0 whatever the status and say where the request stands", async () => {
    const mock = await mockGate((seen) =>
      seen.method === "POST" ? ok(gate("pending_review"), 201) : ok(gate("rejected")),
    );
    const asked = await runCli([
      "request",
      ...TARGET,
      "--environment",
      "staging",
      "--note",
      "nightly",
      "--url",
      mock.url,
    ]);
    expect(asked.code).toBe(0);
    expect(asked.stdout).toMatch(
      /^requested approval: fraud-detector v3 \(staging\): pending_review/,
    );
    expect(mock.seen[0]?.body).toEqual({ environment: "staging", note: "nightly" });
    expect(mock.seen[0]?.headers["idempotency-key"]).toBeTruthy();

    const status = await runCli(["status", ...TARGET, "--url", mock.url]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("fraud-detector v3 (production): rejected");
  });

  it("deployed exits 0 when recorded, 1 when the gate refuses it, 3 on other errors", async () => {
    const recorded = await mockGate(() =>
      ok({ deployment_id: 7, model: "fraud-detector", version: 3, already_current: false }, 201),
    );
    const run = await runCli(["deployed", ...TARGET, "--url", recorded.url]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("recorded deployment 7: fraud-detector v3 to production\n");
    expect(recorded.seen[0]?.body).toEqual({ environment: "production" });

    const detail = "fraud-detector v3 is not approved for production (pending_review).";
    const refused = await mockGate(() => problem(409, "conflict:not_approved", detail));
    const no = await runCli(["deployed", ...TARGET, "--url", refused.url, "--json"]);
    expect(no.code).toBe(1);
    expect(no.stderr).toContain(`not deployed: ${detail}`);
    expect(JSON.parse(no.stdout)).toMatchObject({ code: "conflict:not_approved" });

    const broken = await mockGate(() => problem(500, "internal:error", "Internal error"));
    expect((await runCli(["deployed", ...TARGET, "--url", broken.url])).code).toBe(3);
  });
});

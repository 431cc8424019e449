import { describe, expect, it } from "vitest";
import {
  ciDefaults,
  describeProblem,
  describeStatus,
  exitCodeForStatus,
  parseCli,
  parseDuration,
  parseKeyValues,
  parseMetricFlag,
  parseMetricsJson,
  rejectionDetails,
  UsageError,
} from "../../../cli/approval-gate.mjs";
import { gate } from "./mock-gate";

const ENV = { APPROVAL_GATE_TOKEN: "secret" };
const TARGET = ["--model", "fraud-detector", "--version", "3"];

describe("--metric NAME=VALUE[@SPLIT]", () => {
  it("reads a name, a value and an optional split", () => {
    expect(parseMetricFlag("accuracy=0.93")).toEqual({ name: "accuracy", value: 0.93 });
    expect(parseMetricFlag("auc=9.7e-1@test")).toEqual({ name: "auc", value: 0.97, split: "test" });
    expect(parseMetricFlag("latency_p95_ms=-12")).toEqual({ name: "latency_p95_ms", value: -12 });
  });

  it.each(["accuracy", "=0.9", "accuracy=", "accuracy=NaN", "accuracy=Infinity", "acc=0x10"])(
    "refuses %s with a usage error",
    (text) => {
      expect(() => parseMetricFlag(text)).toThrow(UsageError);
    },
  );

  it("refuses an empty split after @", () => {
    expect(() => parseMetricFlag("auc=0.9@")).toThrow(/split after @ is empty/);
  });
});

describe("metrics files", () => {
  it("accepts a list of API metrics, the API's {metrics} body, or a name: value object", () => {
    const list = [{ name: "staged", value: 0.8, step: 10, split: "test" }];
    expect(parseMetricsJson(JSON.stringify(list))).toEqual(list);
    expect(parseMetricsJson(JSON.stringify({ metrics: list }))).toEqual(list);
    expect(parseMetricsJson('{"accuracy": 0.93, "auc": 0.97}')).toEqual([
      { name: "accuracy", value: 0.93 },
      { name: "auc", value: 0.97 },
    ]);
  });

  it("names the file and the entry when a value is not a number", () => {
    expect(() => parseMetricsJson('{"accuracy": "0.93"}', "m.json")).toThrow(
      'm.json: "accuracy" must be a number, not "0.93"',
    );
    expect(() => parseMetricsJson('[{"name": "auc", "value": null}]', "m.json")).toThrow(
      'm.json: entry 0 (auc): "value" must be a number',
    );
    expect(() => parseMetricsJson("[42]", "m.json")).toThrow("entry 0 must be an object");
  });

  it("says so when the file is not JSON or not a list or object", () => {
    expect(() => parseMetricsJson("accuracy: 0.9", "m.json")).toThrow(/m.json: not valid JSON/);
    expect(() => parseMetricsJson("0.9", "m.json")).toThrow(/expected a list of metrics/);
  });
});

describe("--param and --tag", () => {
  it("sends numbers and booleans in params as such, and everything else as text", () => {
    const params = parseKeyValues(
      ["C=1.0", "max_iter=200", "penalty=l2", "warm=true", "id=0123", "eq=a=b"],
      "--param",
      { typed: true },
    );
    expect(params).toEqual({
      C: 1,
      max_iter: 200,
      penalty: "l2",
      warm: true,
      id: "0123",
      eq: "a=b",
    });
  });

  it("keeps tag values as strings", () => {
    expect(parseKeyValues(["team=risk", "run=42"], "--tag")).toEqual({ team: "risk", run: "42" });
  });

  it("refuses a pair without a key", () => {
    expect(() => parseKeyValues(["=1"], "--tag")).toThrow("--tag =1: write KEY=VALUE");
    expect(() => parseKeyValues(["novalue"], "--param")).toThrow(UsageError);
  });
});

describe("durations", () => {
  it("reads seconds, or a number with s, m or h", () => {
    expect(parseDuration("90", "--timeout")).toBe(90);
    expect(parseDuration("1.5", "--timeout")).toBe(1.5);
    expect(parseDuration("30m", "--timeout")).toBe(1800);
    expect(parseDuration("2h", "--timeout")).toBe(7200);
  });

  it.each(["-1", "soon", "1d", ""])("refuses %j", (text) => {
    expect(() => parseDuration(text, "--timeout")).toThrow(UsageError);
  });
});

describe("the command line", () => {
  it("takes the token and URL from the environment and defaults the environment", () => {
    const cmd = parseCli(["status", ...TARGET], {
      ...ENV,
      APPROVAL_GATE_URL: "https://gate.example.com/base/",
    });
    expect(cmd).toMatchObject({
      command: "status",
      baseUrl: "https://gate.example.com/base",
      token: "secret",
      model: "fraud-detector",
      version: 3,
      environment: "production",
      json: false,
    });
  });

  it("lets --url and --token override the environment and localhost is the default", () => {
    expect(parseCli(["status", ...TARGET], ENV)).toMatchObject({
      baseUrl: "http://localhost:3000",
    });
    const cmd = parseCli(["status", ...TARGET, "--url", "http://gate:8080", "--token", "t2"], ENV);
    expect(cmd).toMatchObject({ baseUrl: "http://gate:8080", token: "t2" });
  });

  it("refuses to run without a token and says where to put it", () => {
    expect(() => parseCli(["status", ...TARGET], {})).toThrow(/set APPROVAL_GATE_TOKEN/);
  });

  it("requires --timeout on wait and reads --poll", () => {
    expect(() => parseCli(["wait", ...TARGET], ENV)).toThrow("--timeout is required");
    const cmd = parseCli(["wait", ...TARGET, "--timeout", "1h", "--poll", "10"], ENV);
    expect(cmd).toMatchObject({ command: "wait", timeoutSeconds: 3600, pollSeconds: 10 });
    expect(() => parseCli(["wait", ...TARGET, "--timeout", "5", "--poll", "0"], ENV)).toThrow(
      "--poll must be at least 1 second",
    );
  });

  it.each(["01", "v3", "0", "1.5"])("refuses --version %s", (version) => {
    const argv = ["status", "--model", "m", "--version", version];
    expect(() => parseCli(argv, ENV)).toThrow(/must be a version number/);
  });

  it("refuses unknown commands, unknown options and non-http URLs", () => {
    expect(() => parseCli(["approve"], ENV)).toThrow(/unknown command "approve"/);
    expect(() => parseCli(["status", ...TARGET, "--verbose"], ENV)).toThrow(UsageError);
    expect(() => parseCli(["status", ...TARGET, "--url", "ftp://gate"], ENV)).toThrow(
      /must start with http/,
    );
  });

  it("answers --help with the command's own options", () => {
    const cmd = parseCli(["wait", "--help"], {});
    expect(cmd.command).toBe("help");
    expect(cmd.command === "help" && cmd.text).toContain("--timeout DURATION");
  });

  it("merges the metrics file with --metric flags and fills commit and run link from CI", () => {
    const files: Record<string, string> = { "m.json": '{"accuracy": 0.93}' };
    const argv = [
      "register",
      "--model",
      "fraud-detector",
      "--metrics-file",
      "m.json",
      "--metric",
      "auc=0.97@test",
      "--param",
      "C=1",
      "--tag",
      "team=risk",
      "--source-uri",
      "s3://models/3.pkl",
    ];
    const env = { ...ENV, GITHUB_SHA: "abc123", CI_PIPELINE_URL: "https://ci/1" };
    const cmd = parseCli(argv, env, (f) => files[f] ?? "");
    expect(cmd).toMatchObject({
      command: "register",
      model: "fraud-detector",
      body: {
        source_uri: "s3://models/3.pkl",
        commit: "abc123",
        pipeline_run_url: "https://ci/1",
        params: { C: 1 },
        tags: { team: "risk" },
        metrics: [
          { name: "accuracy", value: 0.93 },
          { name: "auc", value: 0.97, split: "test" },
        ],
      },
    });
  });

  it("reports a missing metrics file as a usage error", () => {
    const argv = ["register", "--model", "m", "--metrics-file", "/nonexistent/metrics.json"];
    expect(() => parseCli(argv, ENV)).toThrow(
      "--metrics-file /nonexistent/metrics.json: no such file",
    );
  });

  it("uses a new idempotency key per invocation unless one is given", () => {
    const a = parseCli(["deployed", ...TARGET], ENV);
    const b = parseCli(["deployed", ...TARGET], ENV);
    expect(a.command !== "help" && a.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.command !== "help" && a.idempotencyKey).not.toBe(
      b.command !== "help" && b.idempotencyKey,
    );
    const c = parseCli(["deployed", ...TARGET, "--idempotency-key", "run-7-deploy"], ENV);
    expect(c).toMatchObject({ idempotencyKey: "run-7-deploy" });
  });
});

describe("CI defaults", () => {
  it("builds the GitHub Actions run link from its variables", () => {
    const env = {
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "acme/fraud",
      GITHUB_RUN_ID: "42",
      GITHUB_SHA: "f00d",
    };
    expect(ciDefaults(env)).toEqual({
      commit: "f00d",
      pipelineRunUrl: "https://github.com/acme/fraud/actions/runs/42",
    });
  });

  it("prefers GitLab's pipeline URL and has nothing outside CI", () => {
    expect(ciDefaults({ CI_PIPELINE_URL: "https://gitlab/p/1", CI_COMMIT_SHA: "beef" })).toEqual({
      commit: "beef",
      pipelineRunUrl: "https://gitlab/p/1",
    });
    expect(ciDefaults({})).toEqual({ commit: undefined, pipelineRunUrl: undefined });
  });
});

describe("readable answers", () => {
  it("says what a pending request waits for and where to review it", () => {
    expect(describeStatus(gate("pending_review"))).toBe(
      "pending_review - waiting for 1 approval; review at http://gate.test/models/fraud-detector/versions/3",
    );
    expect(describeStatus(gate("awaiting_metrics", { missing_metrics: ["recall"] }))).toMatch(
      /^awaiting_metrics - missing metrics: recall;/,
    );
  });

  it("names the approvers of an approved request and the reason of a rejected one", () => {
    expect(describeStatus(gate("approved", { approved_by: ["Rita Reviewer"] }))).toBe(
      "approved - approved by Rita Reviewer",
    );
    expect(describeStatus(gate("rejected", { reason: "rejected by Rita" }))).toBe(
      "rejected - reason: rejected by Rita",
    );
  });

  it("lists every decision with its comment and what the policy says to do", () => {
    const decisions = [
      { by: "policy", automatic: true, decision: "approve", comment: null, at: "t1" },
      { by: "Rita Reviewer", automatic: false, decision: "reject", comment: "recall", at: "t2" },
    ];
    expect(rejectionDetails(gate("rejected", { decisions }))).toEqual([
      "  policy (automatic) approved at t1: (no comment)",
      "  Rita Reviewer rejected at t2: recall",
      "  on_reject: fail_pipeline",
    ]);
  });

  it("maps statuses to exit codes and fails closed on anything unknown", () => {
    expect(exitCodeForStatus(gate("approved"))).toBe(0);
    expect(exitCodeForStatus(gate("rejected"))).toBe(1);
    for (const s of ["expired", "cancelled", "superseded", "pending_review", "something_new"]) {
      expect(exitCodeForStatus(gate(s))).toBe(2);
    }
  });

  it("turns a problem+json body into one line plus the field errors it does not repeat", () => {
    const text = describeProblem(400, {
      code: "bad_request:validation",
      detail: "Invalid version: metrics.0.value: must be a finite number",
      errors: [
        { field: "metrics.0.value", message: "metrics.0.value: must be a finite number" },
        { field: "tags.x", message: "tags.x: must be a string" },
      ],
    });
    expect(text).toBe(
      "HTTP 400 bad_request:validation: Invalid version: metrics.0.value: must be a finite number" +
        "\n  - tags.x: must be a string",
    );
  });
});

// Input limits (lib/limits.ts): a body, a string, a list or a version's
// metrics over its limit is refused with 413 or 400 naming the limit, and
// nothing is written. Each field limit is tried at the limit (taken) and one
// past it (refused), so a limit moved either way fails here.
import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import * as metricsRoute from "@/app/api/v1/models/[name]/versions/[version]/metrics/route";
import * as versionsRoute from "@/app/api/v1/models/[name]/versions/route";
import * as approvalRoute from "@/app/api/v1/models/[name]/versions/[version]/approval/route";
import * as defaultPolicyRoute from "@/app/api/v1/policies/default/route";
import * as decisionsRoute from "@/app/api/v1/requests/[id]/decisions/route";
import {
  actorFromBearer,
  createPersonalToken,
  createPipelineToken,
  createToken,
} from "@/lib/auth/tokens";
import { createGroup } from "@/lib/gate/groups";
import { requestApproval } from "@/lib/gate/requests";
import { addMetrics, registerVersion } from "@/lib/gate/versions";
import { validatePolicySource } from "@/lib/gate/policies";
import {
  MAX_APPROVAL_RULES,
  MAX_APPROVERS_PER_RULE,
  MAX_BODY_BYTES,
  MAX_CONDITIONS,
  MAX_LENGTH,
  MAX_METRIC_STEP,
  MAX_METRICS_BODY_BYTES,
  MAX_METRICS_PER_CALL,
  MAX_METRICS_PER_VERSION,
  MAX_TAGS,
  MAX_WAIT_SECONDS,
} from "@/lib/limits";
import { addUser, memoryDb, thrown, userActor, type TestDb } from "../helpers/test-db";

let open: TestDb | null = null;
const globalForDb = globalThis as unknown as { __approvalDb?: unknown };
afterEach(() => {
  open?.close();
  open = null;
  globalForDb.__approvalDb = undefined;
});

function world() {
  open = memoryDb();
  globalForDb.__approvalDb = open.db;
  const lead = userActor(addUser(open.db, "lead", "Leo Lead"));
  const admin = userActor(addUser(open.db, "admin", "Ada Admin"));
  const secret = createToken(open.db, {
    name: "ci",
    scopes: ["register", "read", "policy", "request"],
    createdBy: "test",
  }).secret;
  return { db: open.db, lead, admin, secret };
}

type Route = (req: Request, ctx: { params: Promise<unknown> }) => Promise<Response>;

function send(
  route: Route,
  url: string,
  secret: string,
  body: BodyInit,
  init: RequestInit = {},
  params?: Record<string, string>,
) {
  const req = new Request(`http://gate.test${url}`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body,
    ...init,
  });
  const [, , , , name, , version] = url.split("/");
  return route(req, { params: Promise.resolve(params ?? { name, version }) });
}

const metricList = (n: number, name = "loss") =>
  Array.from({ length: n }, (_, step) => ({ name, value: 1 / (step + 1), step }));

const count = (db: TestDb["db"], table: string) =>
  db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.identifier(table)}`)?.n;

describe("body size", () => {
  it(`refuses a body over ${MAX_BODY_BYTES} bytes with 413 naming the limit`, async () => {
    const w = world();
    const big = `# ${"x".repeat(MAX_BODY_BYTES)}\n`;
    const res = await send(
      defaultPolicyRoute.PUT as Route,
      "/api/v1/policies/default",
      w.secret,
      big,
      {
        method: "PUT",
      },
    );
    expect(res.status).toBe(413);
    expect((await res.json()).detail).toBe(
      `The request body is over the limit of ${MAX_BODY_BYTES} bytes for this call.`,
    );
  });

  it("refuses a streamed body without Content-Length once it passes the limit", async () => {
    const w = world();
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        if (sent > 50 * MAX_BODY_BYTES) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const res = await send(
      defaultPolicyRoute.PUT as Route,
      "/api/v1/policies/default",
      w.secret,
      stream,
      {
        method: "PUT",
        duplex: "half",
      } as RequestInit,
    );
    expect(res.status).toBe(413);
    // Stopped reading soon after the limit, not at the end of the stream.
    expect(sent).toBeLessThan(2 * MAX_BODY_BYTES);
  });

  // Names and splits at their longest make 10,000 metrics about 1.9 MB: over
  // the 1 MB limit every other route has, within the metric routes' own.
  const longMetrics = (n: number) =>
    Array.from({ length: n }, (_, step) => ({
      name: "m".repeat(MAX_LENGTH.metricName),
      value: 1 / (step + 1),
      step,
      split: "s".repeat(MAX_LENGTH.split),
    }));

  it.each([
    ["registering a version", versionsRoute.POST, "/api/v1/models/m/versions", false],
    ["adding metrics", metricsRoute.POST, "/api/v1/models/m/versions/1/metrics", true],
  ])(
    `takes ${MAX_METRICS_PER_CALL} metrics in one call, a body over ${MAX_BODY_BYTES} bytes, when %s`,
    async (_what, handler, url, registered) => {
      const w = world();
      if (registered) registerVersion(w.db, w.lead, "m", {});
      const body = JSON.stringify({ metrics: longMetrics(MAX_METRICS_PER_CALL) });
      expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_BODY_BYTES);
      expect(Buffer.byteLength(body)).toBeLessThan(MAX_METRICS_BODY_BYTES);
      const res = await send(handler as Route, url, w.secret, body);
      expect(res.status, await res.clone().text()).toBe(201);
      expect(count(w.db, "metrics")).toBe(MAX_METRICS_PER_CALL);
    },
  );

  it(`refuses a metrics body over ${MAX_METRICS_BODY_BYTES} bytes with 413 naming the limit`, async () => {
    const w = world();
    registerVersion(w.db, w.lead, "m", {});
    const body = JSON.stringify({
      metrics: longMetrics(MAX_METRICS_PER_CALL),
      pad: "x".repeat(MAX_METRICS_BODY_BYTES),
    });
    const res = await send(
      metricsRoute.POST as Route,
      "/api/v1/models/m/versions/1/metrics",
      w.secret,
      body,
    );
    expect(res.status).toBe(413);
    expect((await res.json()).detail).toBe(
      `The request body is over the limit of ${MAX_METRICS_BODY_BYTES} bytes for this call.`,
    );
    expect(count(w.db, "metrics")).toBe(0);
  });
});

describe("counts", () => {
  it(`refuses ${MAX_METRICS_PER_CALL + 1} metrics in one call with 400 naming the limit`, async () => {
    const w = world();
    const body = JSON.stringify({ metrics: metricList(MAX_METRICS_PER_CALL + 1) });
    const res = await send(
      versionsRoute.POST as Route,
      "/api/v1/models/m/versions",
      w.secret,
      body,
    );
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem.errors[0]).toMatchObject({
      field: "metrics",
      rule: "too_big",
      message: `metrics: at most ${MAX_METRICS_PER_CALL} metrics per call`,
    });
    expect(count(w.db, "model_versions")).toBe(0);
  });

  it(`refuses the call that would take a version past ${MAX_METRICS_PER_VERSION} values`, () => {
    const w = world();
    registerVersion(w.db, w.lead, "m", {});
    const seeded = MAX_METRICS_PER_VERSION - 5000;
    // Long learning curves written straight into the table, to reach the limit quickly.
    w.db
      .run(sql`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${seeded - 1})
      INSERT INTO metrics (version_id, name, value, step, split, created_at)
      SELECT 1, 'curve' || (i / 10000), 0.5, i % 10000, NULL, 0 FROM n`);
    addMetrics(w.db, w.lead, "m", 1, { metrics: metricList(5000, "last") });
    expect(count(w.db, "metrics")).toBe(MAX_METRICS_PER_VERSION);

    const error = thrown(() =>
      addMetrics(w.db, w.lead, "m", 1, { metrics: metricList(1, "one_more") }),
    );
    expect(error).toMatchObject({ status: 400, code: "bad_request:metrics_limit" });
    expect(error.errors[0]).toMatchObject({ field: "metrics", rule: "max_per_version" });
    expect(error.message).toContain(`at most ${MAX_METRICS_PER_VERSION} metric values`);
    expect(count(w.db, "metrics")).toBe(MAX_METRICS_PER_VERSION);
    // Replacing values already there does not count twice.
    addMetrics(w.db, w.lead, "m", 1, { metrics: metricList(10, "last") });
  }, 60_000);

  it("refuses more than 500 params, naming the limit", () => {
    const w = world();
    const params = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`p${i}`, i]));
    const error = thrown(() => registerVersion(w.db, w.lead, "m", { params }));
    expect(error.errors[0]).toMatchObject({
      field: "params",
      message: "params: at most 500 params",
    });
  });

  it(`refuses a rule with more than ${MAX_APPROVERS_PER_RULE} approvers`, () => {
    const w = world();
    const many = Array.from({ length: MAX_APPROVERS_PER_RULE + 1 }, (_, i) => `p${i}@example.com`);
    const result = validatePolicySource(w.db, `approvals:\n  - approvers: [${many.join(", ")}]\n`);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors[0]?.message).toContain(`at most ${MAX_APPROVERS_PER_RULE}`);
  });
});

describe("string lengths", () => {
  it.each([
    [
      "description",
      { description: "x".repeat(5001) },
      "description: must be at most 5000 characters",
    ],
    [
      "source_uri",
      { source_uri: "s3://" + "x".repeat(2000) },
      "source_uri: must be at most 2000 characters",
    ],
    [
      "a tag value",
      { tags: { team: "x".repeat(501) } },
      "tags.team: must be at most 500 characters",
    ],
    ["a param name", { params: { ["k".repeat(101)]: 1 } }, "names must be at most 100 characters"],
  ])("refuses a long %s with 400 naming field and limit", (_what, body, message) => {
    const w = world();
    const error = thrown(() => registerVersion(w.db, w.lead, "m", body));
    expect(error.status).toBe(400);
    expect(error.message).toContain(message);
    expect(count(w.db, "model_versions")).toBe(0);
  });
});

/** Rows per table, the audit history included: a refused call must leave every one as it was. */
function rowCounts(db: TestDb["db"]): Record<string, number> {
  const tables = db.all<{ name: string }>(
    sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
  );
  return Object.fromEntries(tables.map((t) => [t.name, count(db, t.name) ?? 0]));
}

type World = ReturnType<typeof world> & { requestId: number; personal: string; people: string[] };

/**
 * A version the pipeline registered and asked staging approval for (any
 * reviewer decides), Leo's personal token, and `people` reviewers.
 */
function limitWorld(people: number): World {
  const w = world();
  const pipeline = actorFromBearer(w.db, w.secret);
  registerVersion(w.db, pipeline, "m", {});
  const { request } = requestApproval(w.db, pipeline, "m", 1, { environment: "staging" });
  const personal = createPersonalToken(w.db, w.lead, { name: "leo", expiresInDays: null }).secret;
  const emails = Array.from({ length: people }, () => addUser(w.db, "reviewer").email);
  return { ...w, requestId: request.id, personal, people: emails };
}

type LimitCase = {
  what: string;
  limit: number;
  field: string;
  message: string;
  /** Reviewers the world needs besides Leo. */
  people?: number;
  /** The call with the input at size n: n = limit is accepted, one more is refused. */
  call: (w: World, n: number) => Promise<Response>;
};

const register = (w: World, body: object) =>
  send(versionsRoute.POST as Route, "/api/v1/models/m/versions", w.secret, JSON.stringify(body));

const putDefaultPolicy = (w: World, text: string) =>
  send(defaultPolicyRoute.PUT as Route, "/api/v1/policies/default", w.secret, text, {
    method: "PUT",
  });

const CASES: LimitCase[] = [
  {
    what: "tags per version",
    limit: MAX_TAGS,
    field: "tags",
    message: `tags: at most ${MAX_TAGS} tags`,
    call: (w, n) =>
      register(w, {
        tags: Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, "x"])),
      }),
  },
  {
    what: "a metric's step",
    limit: MAX_METRIC_STEP,
    field: "metrics.0.step",
    message: `metrics.0.step: must be at most ${MAX_METRIC_STEP}`,
    call: (w, n) => register(w, { metrics: [{ name: "loss", value: 0.1, step: n }] }),
  },
  {
    what: "a metric name's length",
    limit: MAX_LENGTH.metricName,
    field: "metrics.0.name",
    message: `(at most ${MAX_LENGTH.metricName} characters)`,
    call: (w, n) => register(w, { metrics: [{ name: "m".repeat(n), value: 0.1 }] }),
  },
  {
    what: "a split's length",
    limit: MAX_LENGTH.split,
    field: "metrics.0.split",
    message: `metrics.0.split: must be at most ${MAX_LENGTH.split} characters`,
    call: (w, n) => register(w, { metrics: [{ name: "loss", value: 0.1, split: "s".repeat(n) }] }),
  },
  {
    what: "a param value's length",
    limit: MAX_LENGTH.paramValue,
    field: "params.optimizer",
    message: `params.optimizer: must be at most ${MAX_LENGTH.paramValue} characters`,
    call: (w, n) => register(w, { params: { optimizer: "a".repeat(n) } }),
  },
  {
    what: "a tag name's length",
    limit: MAX_LENGTH.tagKey,
    // The error is on the key itself.
    field: `tags.${"k".repeat(MAX_LENGTH.tagKey + 1)}`,
    message: `names must be at most ${MAX_LENGTH.tagKey} characters`,
    call: (w, n) => register(w, { tags: { ["k".repeat(n)]: "v" } }),
  },
  {
    what: "a run id's length",
    limit: MAX_LENGTH.runId,
    field: "run_id",
    message: `run_id: must be at most ${MAX_LENGTH.runId} characters`,
    call: (w, n) => register(w, { run_id: "r".repeat(n) }),
  },
  {
    what: "a commit's length",
    limit: MAX_LENGTH.commit,
    field: "commit",
    message: `commit: must be at most ${MAX_LENGTH.commit} characters`,
    call: (w, n) => register(w, { commit: "c".repeat(n) }),
  },
  {
    what: "a pipeline run URL's length",
    limit: MAX_LENGTH.url,
    field: "pipeline_run_url",
    message: `pipeline_run_url: must be at most ${MAX_LENGTH.url} characters`,
    call: (w, n) => {
      const base = "https://ci.example.com/";
      return register(w, { pipeline_run_url: base + "u".repeat(n - base.length) });
    },
  },
  {
    what: "a request note's length",
    limit: MAX_LENGTH.note,
    field: "note",
    message: `note: must be at most ${MAX_LENGTH.note} characters`,
    call: (w, n) =>
      send(
        approvalRoute.POST as Route,
        "/api/v1/models/m/versions/1/approval",
        w.secret,
        JSON.stringify({ environment: "production", note: "n".repeat(n) }),
      ),
  },
  {
    what: "a decision comment's length",
    limit: MAX_LENGTH.comment,
    field: "comment",
    message: `comment: must be at most ${MAX_LENGTH.comment} characters`,
    call: (w, n) =>
      send(
        decisionsRoute.POST as Route,
        `/api/v1/requests/${w.requestId}/decisions`,
        w.personal,
        JSON.stringify({ decision: "reject", comment: "c".repeat(n) }),
        {},
        { id: String(w.requestId) },
      ),
  },
  {
    what: "policy text's length",
    limit: MAX_LENGTH.policySource,
    field: "(policy)",
    message: `(policy): must be at most ${MAX_LENGTH.policySource} characters`,
    call: (w, n) => {
      const text = "approvals:\n  - approvers: [role:lead]\n# ";
      return putDefaultPolicy(w, text + "x".repeat(n - text.length));
    },
  },
  {
    what: "approval rules per policy",
    limit: MAX_APPROVAL_RULES,
    field: "approvals",
    message: `approvals: must hold at most ${MAX_APPROVAL_RULES} rules`,
    // One person per rule, so every rule can be met (a person counts once).
    people: MAX_APPROVAL_RULES + 1,
    call: (w, n) =>
      putDefaultPolicy(
        w,
        "approvals:\n" +
          w.people
            .slice(0, n)
            .map((email) => `  - approvers: [${email}]\n`)
            .join(""),
      ),
  },
  {
    what: "conditions per list",
    limit: MAX_CONDITIONS,
    field: "auto_approve",
    message: `auto_approve: must hold at most ${MAX_CONDITIONS} conditions`,
    call: (w, n) =>
      putDefaultPolicy(
        w,
        `auto_approve: [${Array.from({ length: n }, (_, i) => `"m${i} >= 0.5"`).join(", ")}]\n`,
      ),
  },
];

describe("field limits, at the API", () => {
  const cases = CASES.map((c) => [c.what, c] as const);

  it.each(cases)("takes %s at the limit", async (_what, c) => {
    const w = limitWorld(c.people ?? 0);
    const res = await c.call(w, c.limit);
    expect(res.status, await res.clone().text()).toBeLessThan(300);
  });

  it.each(cases)(
    "refuses %s one past the limit with 400 naming the field and the limit, storing nothing",
    async (_what, c) => {
      const w = limitWorld(c.people ?? 0);
      const before = rowCounts(w.db);
      const res = await c.call(w, c.limit + 1);
      expect(res.status, await res.clone().text()).toBe(400);
      const problem = await res.json();
      const error = problem.errors?.find((e: { field: string }) => e.field === c.field);
      expect(error, JSON.stringify(problem)).toBeDefined();
      expect(error.message).toContain(c.message);
      expect(rowCounts(w.db)).toEqual(before);
    },
  );
});

describe("other limits", () => {
  it(`refuses a gate wait over ${MAX_WAIT_SECONDS} s with 400 naming wait and the limit`, async () => {
    const w = limitWorld(0);
    const url = `/api/v1/models/m/versions/1/approval?environment=staging&wait=${MAX_WAIT_SECONDS + 1}`;
    const res = await approvalRoute.GET(
      new Request(`http://gate.test${url}`, { headers: { authorization: `Bearer ${w.secret}` } }),
      { params: Promise.resolve({ name: "m", version: "1" }) },
    );
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toContainEqual(
      expect.objectContaining({
        field: "wait",
        message: `wait: must be at most ${MAX_WAIT_SECONDS} seconds`,
      }),
    );
  });

  it.each([
    [
      "a group name",
      MAX_LENGTH.groupName,
      (w: World, n: number) => createGroup(w.db, w.lead, "g".repeat(n)),
      `1-${MAX_LENGTH.groupName} lowercase letters`,
    ],
    [
      "a token name",
      MAX_LENGTH.tokenName,
      (w: World, n: number) =>
        createPipelineToken(w.db, w.admin, {
          name: "t".repeat(n),
          scopes: ["read"],
          expiresInDays: null,
        }),
      `1-${MAX_LENGTH.tokenName} letters`,
    ],
  ])(
    "takes %s at the limit and refuses one more with 400 naming it",
    (_what, limit, make, rule) => {
      const w = limitWorld(0);
      make(w, limit);
      const before = rowCounts(w.db);
      const error = thrown(() => make(w, limit + 1));
      expect(error.status).toBe(400);
      expect(error.message).toContain(rule);
      expect(rowCounts(w.db)).toEqual(before);
    },
  );
});

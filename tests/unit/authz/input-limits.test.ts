// Input limits (lib/limits.ts): a body, a string, a list or a version's
// metrics over its limit is refused with 413 or 400 naming the limit, and
// nothing is written.
import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import * as metricsRoute from "@/app/api/v1/models/[name]/versions/[version]/metrics/route";
import * as versionsRoute from "@/app/api/v1/models/[name]/versions/route";
import * as defaultPolicyRoute from "@/app/api/v1/policies/default/route";
import { createToken } from "@/lib/auth/tokens";
import { addMetrics, registerVersion } from "@/lib/gate/versions";
import { validatePolicySource } from "@/lib/gate/policies";
import {
  MAX_APPROVERS_PER_RULE,
  MAX_BODY_BYTES,
  MAX_METRICS_PER_CALL,
  MAX_METRICS_PER_VERSION,
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
  const secret = createToken(open.db, {
    name: "ci",
    scopes: ["register", "read", "policy"],
    createdBy: "test",
  }).secret;
  return { db: open.db, lead, secret };
}

type Route = (req: Request, ctx: { params: Promise<unknown> }) => Promise<Response>;

function send(route: Route, url: string, secret: string, body: BodyInit, init: RequestInit = {}) {
  const req = new Request(`http://gate.test${url}`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body,
    ...init,
  });
  const [, , , , name, , version] = url.split("/");
  return route(req, { params: Promise.resolve({ name, version }) });
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

  it(`takes ${MAX_METRICS_PER_CALL} metrics in one call, a body over 1 MB`, async () => {
    const w = world();
    registerVersion(w.db, w.lead, "m", {});
    const body = JSON.stringify({ metrics: metricList(MAX_METRICS_PER_CALL) });
    expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_BODY_BYTES / 2);
    const res = await send(
      metricsRoute.POST as Route,
      "/api/v1/models/m/versions/1/metrics",
      w.secret,
      body,
    );
    expect(res.status).toBe(201);
    expect(count(w.db, "metrics")).toBe(MAX_METRICS_PER_CALL);
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

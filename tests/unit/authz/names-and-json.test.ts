// Model names follow one rule and round-trip exactly through URLs; JSON
// columns hold JSON once, never a JSON string of JSON.
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { is, sql } from "drizzle-orm";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import * as schema from "@/db/schema";
import * as approvalRoute from "@/app/api/v1/models/[name]/versions/[version]/approval/route";
import * as versionsRoute from "@/app/api/v1/models/[name]/versions/route";
import { createToken } from "@/lib/auth/tokens";
import { savePolicy } from "@/lib/gate/policies";
import { MODEL_NAME } from "@/lib/gate/inputs";
import { registerVersion } from "@/lib/gate/versions";
import { requestApproval } from "@/lib/gate/requests";
import { createWebhook } from "@/lib/webhooks/manage";
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
  const secret = createToken(open.db, { name: "ci", createdBy: "test" }).secret;
  return { db: open.db, lead, secret };
}

describe("model names", () => {
  it("are unchanged by URL encoding and decoding, and never a dot segment", () => {
    fc.assert(
      fc.property(fc.stringMatching(MODEL_NAME), (name) => {
        expect(encodeURIComponent(name)).toBe(name);
        expect(decodeURIComponent(name)).toBe(name);
        expect(new URL(`http://gate.test/models/${name}`).pathname).toBe(`/models/${name}`);
        expect([".", ".."]).not.toContain(name);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ["upper case", "Fraud-Detector"],
    ["a trailing dot", "fraud-detector."],
    ["a dot segment", ".."],
    ["an encoded slash", "fraud-detector%2F..%2Fother"],
    ["a slash", "fraud-detector/../other"],
    ["a Cyrillic look-alike", "frаud-detector"],
    ["a full-width look-alike", "ｆraud-detector"],
    ["a space", "fraud detector"],
    ["a leading dash", "-fraud-detector"],
  ])("refuses %s in the URL instead of opening another model's gate", async (_what, name) => {
    const w = world();
    registerVersion(w.db, w.lead, "fraud-detector", {});
    requestApproval(w.db, w.lead, "fraud-detector", 1, {});
    registerVersion(w.db, w.lead, "other", {});
    const res = await approvalRoute.GET(
      new Request(
        `http://gate.test/api/v1/models/${encodeURIComponent(name)}/versions/1/approval`,
        {
          headers: { authorization: `Bearer ${w.secret}` },
        },
      ),
      { params: Promise.resolve({ name, version: "1" }) },
    );
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0]).toMatchObject({ field: "name", rule: "invalid_format" });
    expect(thrown(() => registerVersion(w.db, w.lead, name, {}))).toMatchObject({ status: 400 });
  });
});

// Every `text(..., { mode: "json" })` column of db/schema.ts and what it holds.
const JSON_SHAPES: Record<string, "object" | "array"> = {
  "api_tokens.scopes": "array",
  "webhooks.events": "array",
  "model_versions.params": "object",
  "model_versions.tags": "object",
  "decisions.evidence": "object",
  "audit_events.details": "object",
};

function jsonColumnsOfSchema(): string[] {
  return Object.values<unknown>(schema)
    .filter((t): t is SQLiteTable => is(t, SQLiteTable))
    .flatMap((table) => {
      const { name, columns } = getTableConfig(table);
      return columns
        .filter((c) => c.columnType === "SQLiteTextJson")
        .map((c) => `${name}.${c.name}`);
    });
}

describe("JSON columns", () => {
  it("are all checked below: a new JSON column of the schema must join the list", () => {
    expect(jsonColumnsOfSchema().sort()).toEqual(Object.keys(JSON_SHAPES).sort());
  });

  it("hold objects and lists, not strings of JSON", () => {
    const w = world();
    const { version } = registerVersion(w.db, w.lead, "m", {
      params: { lr: 0.01, layers: "3", deep: true },
      tags: { team: "risk" },
      source_uri: "s3://bucket/m.pkl",
    });
    const row = w.db.get<Record<string, string>>(sql`
      SELECT json_type(params) AS params_type, json_type(tags) AS tags_type,
             params, json_extract(params, '$.lr') AS lr
        FROM model_versions WHERE id = ${version.id}`);
    expect(row).toMatchObject({ params_type: "object", tags_type: "object", lr: 0.01 });
    expect(JSON.parse(row!.params!)).toEqual({ lr: 0.01, layers: "3", deep: true });
  });

  it("hold decision evidence and webhook events as JSON once, like every other JSON column", () => {
    const w = world();
    // An automatic approval records its evidence; an admin subscribes a webhook.
    savePolicy(w.db, w.lead, "auto", "production", "auto_approve: [auc >= 0.9]\n");
    registerVersion(w.db, w.lead, "auto", { metrics: [{ name: "auc", value: 0.95 }] });
    requestApproval(w.db, w.lead, "auto", 1, {});
    const admin = userActor(addUser(w.db, "admin", "Ada Admin"));
    createWebhook(w.db, admin, { url: "https://hooks.test/gate", events: ["request.approved"] });

    for (const [column, shape] of Object.entries(JSON_SHAPES)) {
      const [table, name] = column.split(".") as [string, string];
      const kinds = w.db.all<{ t: string }>(
        sql`SELECT DISTINCT json_type(${sql.identifier(name)}) AS t
              FROM ${sql.identifier(table)} WHERE ${sql.identifier(name)} IS NOT NULL`,
      );
      // An empty column would pass any check: each one must hold a value here.
      expect(
        kinds.map((k) => k.t),
        column,
      ).toEqual([shape]);
    }
    const evidence = w.db.get<{ revision: unknown }>(
      sql`SELECT json_extract(evidence, '$.policy_revision') AS revision FROM decisions`,
    );
    expect(evidence?.revision).toBe(1);
  });
});

describe("the reserved name __proto__ in a body", () => {
  it.each([
    ["a param", '{"params":{"__proto__":{"admin":true}}}', "params.__proto__"],
    ["a tag", '{"tags":{"team":"x","__proto__":"y"}}', "tags.__proto__"],
    ["a metric", '{"metrics":[{"name":"a","value":1,"__proto__":{}}]}', "metrics[0].__proto__"],
  ])("is refused with 400 naming where, not dropped without a word (%s)", async (_, body, at) => {
    const w = world();
    const res = await versionsRoute.POST(
      new Request("http://gate.test/api/v1/models/churn/versions", {
        method: "POST",
        headers: { authorization: `Bearer ${w.secret}`, "content-type": "application/json" },
        body,
      }),
      { params: Promise.resolve({ name: "churn" }) },
    );
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0]).toMatchObject({ field: at, rule: "reserved_name" });
    expect(w.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM model_versions`).n).toBe(0);
  });
});

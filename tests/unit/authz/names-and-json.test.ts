// Model names follow one rule and round-trip exactly through URLs; JSON
// columns hold JSON once, never a JSON string of JSON.
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import * as approvalRoute from "@/app/api/v1/models/[name]/versions/[version]/approval/route";
import { createToken } from "@/lib/auth/tokens";
import { MODEL_NAME } from "@/lib/gate/inputs";
import { registerVersion } from "@/lib/gate/versions";
import { requestApproval } from "@/lib/gate/requests";
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

describe("JSON columns", () => {
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

    const kinds = w.db.all<{ t: string }>(sql`
      SELECT DISTINCT json_type(details) AS t FROM audit_events WHERE details IS NOT NULL
      UNION SELECT DISTINCT json_type(scopes) FROM api_tokens`);
    expect(kinds.map((k) => k.t).sort()).toEqual(["array", "object"]);
  });
});

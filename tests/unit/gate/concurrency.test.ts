// Deciding one request from several processes at once: exactly one final
// state, never more approvals than distinct approvers, 409 for the losers,
// and no "database is locked" for anyone.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { savePolicy } from "@/lib/gate/policies";
import { requestApproval } from "@/lib/gate/requests";
import { registerVersion } from "@/lib/gate/versions";
import { apiHandler, json } from "@/lib/http/api-handler";
import { createToken } from "@/lib/auth/tokens";
import { addUser, fileDb, userActor } from "../helpers/test-db";

let open: ReturnType<typeof fileDb> | null = null;
afterEach(() => {
  open?.close();
  open = null;
  (globalThis as { __approvalDb?: unknown }).__approvalDb = undefined;
});

const run = promisify(execFile);
const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");
const worker = path.join(process.cwd(), "tests", "unit", "helpers", "decide-worker.ts");

/** Each process's answers, in the order of `ids`; each walks the ids from another start. */
function decideAtOnce(file: string, who: { id: number; decision: string }[], ids: number[]) {
  // Far enough ahead for every tsx process to have started and loaded.
  const startAt = Date.now() + 4000;
  return Promise.all(
    who.map(async (w, k) => {
      const shift = Math.floor((k * ids.length) / who.length);
      const order = [...ids.slice(shift), ...ids.slice(0, shift)];
      const args = [worker, file, String(w.id), w.decision, String(startAt), ...order.map(String)];
      const { stdout } = await run(tsx, args, { env: { ...process.env, LOG_LEVEL: "silent" } });
      const answers = JSON.parse(stdout) as string[];
      return ids.map((id) => answers[order.indexOf(id)]!);
    }),
  );
}

function setUp(count: number, requests: number) {
  open = fileDb();
  const { db } = open;
  const lead = addUser(db, "lead", "Leo Lead");
  const people = [addUser(db, "reviewer", "Ann"), addUser(db, "reviewer", "Ben")];
  const rejecter = addUser(db, "reviewer", "Cat");
  const emails = [...people, rejecter].map((p) => p.email).join(", ");
  savePolicy(
    db,
    userActor(lead),
    "m",
    "production",
    `approvals:\n  - approvers: [${emails}]\n    count: ${count}\n`,
  );
  const ids: number[] = [];
  // One model per request: a newer version's request would supersede the older ones.
  for (let i = 0; i < requests; i++) {
    savePolicy(
      db,
      userActor(lead),
      `m${i}`,
      "production",
      `approvals:\n  - approvers: [${emails}]\n    count: ${count}\n`,
    );
    registerVersion(db, userActor(lead), `m${i}`, {});
    ids.push(requestApproval(db, userActor(lead), `m${i}`, 1, {}).request.id);
  }
  return { db, file: open.file, people, rejecter, ids };
}

describe("deciding one request from several processes at once", () => {
  it("two approvers and a rejecter: one final state, losers get 409", async () => {
    const w = setUp(2, 12);
    const outcomes = await decideAtOnce(
      w.file,
      [
        { id: w.people[0]!.id, decision: "approve" },
        { id: w.people[1]!.id, decision: "approve" },
        { id: w.rejecter.id, decision: "reject" },
      ],
      w.ids,
    );
    w.ids.forEach((id, i) => {
      const answers = outcomes.map((o) => o[i]!);
      for (const a of answers) expect(a === "ok" || a.startsWith("409 conflict:"), a).toBe(true);
      const request = w.db.get<{ status: string }>(
        sql`SELECT status FROM approval_requests WHERE id = ${id}`,
      );
      const stored = w.db.all<{ decision: string; user_id: number }>(
        sql`SELECT decision, user_id FROM decisions WHERE request_id = ${id}`,
      );
      const finals = w.db.all<{ action: string }>(
        sql`SELECT action FROM audit_events WHERE subject_id = ${id}
            AND action IN ('request.approved', 'request.rejected')`,
      );
      expect(["approved", "rejected"]).toContain(request?.status);
      expect(finals).toHaveLength(1);
      expect(stored.length).toBe(answers.filter((a) => a === "ok").length);
      expect(new Set(stored.map((d) => d.user_id)).size).toBe(stored.length);
      const approvals = stored.filter((d) => d.decision === "approve").length;
      expect(approvals).toBeLessThanOrEqual(2);
      if (request?.status === "approved") expect(answers[2]).toBe("409 conflict:request_final");
      if (request?.status === "rejected") expect(approvals).toBeLessThan(2);
    });
  }, 60_000);

  it("a double-clicked approve records one decision; the second click gets 409", async () => {
    const w = setUp(2, 8);
    const ann = { id: w.people[0]!.id, decision: "approve" };
    const outcomes = await decideAtOnce(w.file, [ann, ann], w.ids);
    w.ids.forEach((id, i) => {
      const answers = outcomes.map((o) => o[i]!).sort();
      expect(answers).toEqual(["409 conflict:already_decided", "ok"]);
      const stored = w.db.get<{ n: number }>(
        sql`SELECT count(*) AS n FROM decisions WHERE request_id = ${id}`,
      );
      expect(stored?.n).toBe(1);
    });
  }, 60_000);
});

describe("a database locked past the busy timeout", () => {
  it("answers 503 with Retry-After, never a raw SQLITE_BUSY, and works once free", async () => {
    open = fileDb();
    const lead = addUser(open.db, "lead", "Leo Lead");
    (globalThis as { __approvalDb?: unknown }).__approvalDb = open.db;
    open.sqlite.pragma("busy_timeout = 50");
    const token = createToken(open.db, { name: "ci", createdBy: "test" }).secret;
    const holder = open.connect();
    holder.sqlite.exec("BEGIN IMMEDIATE");

    const handler = apiHandler(({ db, actor }) =>
      json(registerVersion(db, actor, "m", {}).version.number, 201),
    );
    const call = () =>
      handler(
        new Request("http://gate.test/api/v1/models/m/versions", {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
          body: "{}",
        }),
        { params: Promise.resolve({}) },
      );
    const busy = await call();
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("1");
    expect((await busy.json()).code).toBe("unavailable:database_busy");

    holder.sqlite.exec("ROLLBACK");
    expect((await call()).status).toBe(201);
    void lead;
  });
});

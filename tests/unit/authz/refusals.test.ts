// Refusals of known callers are always recorded; anonymous ones are capped
// per address and in all, so a flood cannot grow the audit history unbounded.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { forbidden, unauthorized } from "@/lib/errors";
import {
  ANON_PER_ADDRESS,
  ANON_TOTAL,
  recordRefusal,
  resetRefusalLimits,
} from "@/lib/http/refusals";
import { addUser, memoryDb, userActor, type TestDb } from "../helpers/test-db";

let open: TestDb;
beforeEach(() => {
  open = memoryDb();
  resetRefusalLimits();
});
afterEach(() => open.close());

const refusals = () =>
  open.db.get<{ n: number }>(
    sql`SELECT count(*) AS n FROM audit_events WHERE action = 'access.refused'`,
  )?.n;

const anonymous = (address: string) =>
  recordRefusal(open.db, null, { attempt: "POST /api/x", error: unauthorized(), address });

describe("recording refusals", () => {
  it(`records ${ANON_PER_ADDRESS} anonymous refusals per address, then only logs them`, async () => {
    for (let i = 0; i < ANON_PER_ADDRESS + 15; i++) await anonymous("203.0.113.5");
    expect(refusals()).toBe(ANON_PER_ADDRESS);
    await anonymous("203.0.113.6");
    expect(refusals()).toBe(ANON_PER_ADDRESS + 1);
  });

  it(`records at most ${ANON_TOTAL} anonymous refusals in all, however many addresses`, async () => {
    for (let a = 0; a < 30; a++) {
      for (let i = 0; i < ANON_PER_ADDRESS; i++) await anonymous(`198.51.100.${a}`);
    }
    expect(refusals()).toBe(ANON_TOTAL);
  });

  it("records every refusal of a signed-in person, with who and what", async () => {
    const viewer = userActor(addUser(open.db, "viewer", "Vera Viewer"));
    const error = forbidden("policies_write", "role viewer may not change policies.");
    for (let i = 0; i < ANON_TOTAL + 5; i++) {
      await recordRefusal(open.db, viewer, { attempt: "action save-policy", error, address: "x" });
    }
    expect(refusals()).toBe(ANON_TOTAL + 5);
    const last = open.db.get<{ summary: string; actor_name: string; details: string }>(
      sql`SELECT summary, actor_name, details FROM audit_events ORDER BY id DESC LIMIT 1`,
    );
    expect(last).toMatchObject({
      actor_name: "Vera Viewer",
      summary: "refused action save-policy: role viewer may not change policies.",
    });
    expect(JSON.parse(last!.details)).toMatchObject({
      code: "forbidden:policies_write",
      status: 403,
    });
  });
});

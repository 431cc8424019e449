// Sign-in answers the same for unknown and known emails, and is limited per
// account and per client address. bcrypt is stood in for here (the timing
// of the real one is in sign-in-timing.test.ts) so thirty attempts stay fast.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import { eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { checkSignIn } from "@/lib/auth/sign-in";
import {
  FAILURES_PER_ACCOUNT,
  FAILURES_PER_ADDRESS,
  resetSignInLimits,
} from "@/lib/auth/sign-in-limits";
import { resetRefusalLimits } from "@/lib/http/refusals";
import { memoryDb, type TestDb } from "../helpers/test-db";
import { insertUser } from "@/db/queries/users";

vi.mock("@/lib/auth/passwords", () => ({
  verifyPassword: async (password: string, hash: string) => hash === `hash:${password}`,
  hashPassword: async (password: string) => `hash:${password}`,
}));

let open: TestDb;
beforeEach(() => {
  open = memoryDb();
  resetSignInLimits();
  resetRefusalLimits();
  insertUser(open.db, {
    email: "rita@example.com",
    name: "Rita",
    role: "reviewer",
    passwordHash: "hash:right",
  });
});
afterEach(() => open.close());

const attempt = (email: string, password: string, address = "198.51.100.1") =>
  checkSignIn(open.db, { email, password }, address);

describe("sign-in", () => {
  it("lets the right password in", async () => {
    expect(await attempt("rita@example.com", "right")).toMatchObject({ ok: true });
  });

  it("answers an unknown email exactly as a wrong password", async () => {
    const unknown = await attempt("nobody@example.com", "right");
    const wrong = await attempt("rita@example.com", "wrong");
    expect(unknown).toEqual({ ok: false, reason: "wrong" });
    expect(wrong).toEqual(unknown);
  });

  it("answers a disabled person with the right password as a wrong password", async () => {
    open.db.update(users).set({ disabled: true }).where(eq(users.email, "rita@example.com")).run();
    expect(await attempt("rita@example.com", "right")).toEqual({ ok: false, reason: "wrong" });
  });

  it(`refuses an account after ${FAILURES_PER_ACCOUNT} failures, even the right password`, async () => {
    for (let i = 0; i < FAILURES_PER_ACCOUNT; i++) {
      expect(await attempt("rita@example.com", `guess${i}`, `198.51.100.${i}`)).toMatchObject({
        reason: "wrong",
      });
    }
    const next = await attempt("rita@example.com", "right", "198.51.100.200");
    expect(next).toEqual({ ok: false, reason: "limited", retryAfterMinutes: 15 });
  });

  it("limits an unknown email the same way, so the limit tells nothing about who exists", async () => {
    const known: unknown[] = [];
    const unknown: unknown[] = [];
    for (let i = 0; i <= FAILURES_PER_ACCOUNT; i++) {
      known.push(await attempt("rita@example.com", "wrong", "198.51.100.1"));
      unknown.push(await attempt("ghost@example.com", "wrong", "198.51.100.2"));
    }
    expect(unknown).toEqual(known);
    expect(unknown.at(-1)).toMatchObject({ reason: "limited" });
  });

  it(`refuses an address after ${FAILURES_PER_ADDRESS} failures across accounts, not others`, async () => {
    for (let i = 0; i < FAILURES_PER_ADDRESS; i++) {
      await attempt(`user${i}@example.com`, "wrong", "203.0.113.66");
    }
    expect(await attempt("rita@example.com", "right", "203.0.113.66")).toMatchObject({
      reason: "limited",
    });
    expect(await attempt("rita@example.com", "right", "203.0.113.67")).toMatchObject({
      ok: true,
    });
  });

  it("counts again from zero after a successful sign-in", async () => {
    for (let i = 0; i < FAILURES_PER_ACCOUNT - 1; i++) await attempt("rita@example.com", "wrong");
    await attempt("rita@example.com", "right");
    for (let i = 0; i < FAILURES_PER_ACCOUNT - 1; i++) await attempt("rita@example.com", "wrong");
    expect(await attempt("rita@example.com", "right")).toMatchObject({ ok: true });
  });

  it("records reaching the limit once in the audit history", async () => {
    for (let i = 0; i < FAILURES_PER_ACCOUNT + 3; i++) await attempt("rita@example.com", "wrong");
    const rows = open.db.all<{ action: string; summary: string; actor_name: string }>(
      sql`SELECT action, summary, actor_name FROM audit_events WHERE action = 'access.refused'`,
    );
    expect(rows).toEqual([
      {
        action: "access.refused",
        actor_name: "anonymous",
        summary: "refused sign-in as rita@example.com: too many failed sign-in attempts",
      },
    ]);
  });
});

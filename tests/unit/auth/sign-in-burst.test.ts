// Attempts sent all at once are limited like attempts sent one by one: each
// takes its point before the password is compared, so a burst of guesses for
// one account (or from one address) gets no more comparisons than the limit.
// bcrypt is stood in for by a comparison that yields to the event loop, so
// every attempt of a burst is in flight before the first comparison ends.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import { insertUser } from "@/db/queries/users";
import { checkSignIn } from "@/lib/auth/sign-in";
import {
  FAILURES_PER_ACCOUNT,
  FAILURES_PER_ADDRESS,
  resetSignInLimits,
} from "@/lib/auth/sign-in-limits";
import { resetRefusalLimits } from "@/lib/http/refusals";
import { memoryDb, type TestDb } from "../helpers/test-db";

const compared = vi.hoisted(() => [] as string[]);
vi.mock("@/lib/auth/passwords", () => ({
  verifyPassword: async (password: string, hash: string) => {
    compared.push(hash);
    await new Promise((resolve) => setImmediate(resolve));
    return hash === `hash:${password}`;
  },
  hashPassword: async (password: string) => `hash:${password}`,
}));

let open: TestDb;
beforeEach(() => {
  open = memoryDb();
  resetSignInLimits();
  resetRefusalLimits();
  compared.length = 0;
  insertUser(open.db, {
    email: "rita@example.com",
    name: "Rita",
    role: "reviewer",
    passwordHash: "hash:right",
  });
});
afterEach(() => open.close());

const attempt = (email: string, password: string, address: string) =>
  checkSignIn(open.db, { email, password }, address);

/** Forty attempts for one email at once, each from its own address; the last is "right". */
function burstFor(email: string) {
  return Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      attempt(email, i === 39 ? "right" : `guess${i}`, `198.51.100.${i + 1}`),
    ),
  );
}

describe("a burst of sign-in attempts", () => {
  it(`one account: ${FAILURES_PER_ACCOUNT} comparisons at most, right one refused`, async () => {
    const answers = await burstFor("rita@example.com");

    expect(compared).toHaveLength(FAILURES_PER_ACCOUNT);
    expect(answers.filter((a) => !a.ok && a.reason === "wrong")).toHaveLength(FAILURES_PER_ACCOUNT);
    expect(answers.at(-1)).toEqual({ ok: false, reason: "limited", retryAfterMinutes: 15 });
    expect(answers.some((a) => a.ok)).toBe(false);

    // The right password sent after the burst, from a fresh address, is refused too.
    expect(await attempt("rita@example.com", "right", "203.0.113.7")).toEqual({
      ok: false,
      reason: "limited",
      retryAfterMinutes: 15,
    });
    expect(compared).toHaveLength(FAILURES_PER_ACCOUNT);

    const refusals = open.db.all<{ summary: string }>(
      sql`SELECT summary FROM audit_events WHERE action = 'access.refused'`,
    );
    expect(refusals).toEqual([
      { summary: "refused sign-in as rita@example.com: too many failed sign-in attempts" },
    ]);
  });

  it("answers a burst for an unknown email exactly as one for a known email", async () => {
    const known = await burstFor("rita@example.com");
    resetSignInLimits();
    const unknown = await burstFor("ghost@example.com");

    expect(unknown).toEqual(known);
    expect(compared).toHaveLength(2 * FAILURES_PER_ACCOUNT);
  });

  it(`one address: ${FAILURES_PER_ADDRESS} comparisons at most, then refused`, async () => {
    const address = "203.0.113.66";
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => attempt(`user${i}@example.com`, "wrong", address)),
    );

    expect(compared).toHaveLength(FAILURES_PER_ADDRESS);
    expect(answers.filter((a) => !a.ok && a.reason === "limited")).toHaveLength(
      100 - FAILURES_PER_ADDRESS,
    );
    expect(await attempt("rita@example.com", "right", address)).toMatchObject({
      reason: "limited",
    });
    // Another address is not held off by this one.
    expect(await attempt("rita@example.com", "right", "203.0.113.67")).toMatchObject({ ok: true });
  });

  it("lets the right password in when it is within the limit of a burst", async () => {
    const answers = await Promise.all([
      attempt("rita@example.com", "guess1", "198.51.100.1"),
      attempt("rita@example.com", "right", "198.51.100.2"),
      attempt("rita@example.com", "guess2", "198.51.100.3"),
    ]);
    expect(answers.map((a) => a.ok)).toEqual([false, true, false]);
  });
});

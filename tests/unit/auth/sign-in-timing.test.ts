// An unknown email costs a bcrypt comparison too (against a dummy hash of the
// same cost as stored ones), so the answer's timing does not tell who has an
// account. Checked by what is compared, not by a stopwatch, so a loaded
// machine cannot make it fail.
import bcrypt from "bcryptjs";
import { afterEach, expect, it, vi } from "vitest";
import { insertUser } from "@/db/queries/users";
import { hashPassword } from "@/lib/auth/passwords";
import { checkSignIn } from "@/lib/auth/sign-in";
import { resetSignInLimits } from "@/lib/auth/sign-in-limits";
import { memoryDb } from "../helpers/test-db";

const compared = vi.hoisted(() => [] as string[]);
vi.mock("@/lib/auth/passwords", async (original) => {
  const real = await original<typeof import("@/lib/auth/passwords")>();
  return {
    ...real,
    verifyPassword: (password: string, hash: string) => {
      compared.push(hash);
      return real.verifyPassword(password, hash);
    },
  };
});

const open = memoryDb();
afterEach(() => {
  resetSignInLimits();
  compared.length = 0;
});

it("compares one bcrypt hash of the stored cost for an unknown email and a wrong password", async () => {
  const stored = await hashPassword("right password");
  insertUser(open.db, {
    email: "rita@example.com",
    name: "Rita",
    role: "reviewer",
    passwordHash: stored,
  });

  const known = await checkSignIn(
    open.db,
    { email: "rita@example.com", password: "nope" },
    "198.51.100.9",
  );
  const unknown = await checkSignIn(
    open.db,
    { email: "ghost@example.com", password: "nope" },
    "198.51.100.9",
  );

  expect(known).toEqual({ ok: false, reason: "wrong" });
  expect(unknown).toEqual(known);
  expect(compared).toHaveLength(2);
  expect(compared[0]).toBe(stored);
  // A real hash (the comparison does the full work) of the same cost.
  expect(compared[1]).not.toBe(stored);
  expect(bcrypt.getRounds(compared[1]!)).toBe(bcrypt.getRounds(stored));
}, 30_000);

// An unknown email costs a bcrypt comparison too (against a dummy hash), so
// the answer's timing does not tell who has an account.
import { afterEach, expect, it } from "vitest";
import { insertUser } from "@/db/queries/users";
import { hashPassword } from "@/lib/auth/passwords";
import { checkSignIn } from "@/lib/auth/sign-in";
import { resetSignInLimits } from "@/lib/auth/sign-in-limits";
import { memoryDb } from "../helpers/test-db";

const open = memoryDb();
afterEach(() => resetSignInLimits());

async function timed(email: string): Promise<number> {
  const started = performance.now();
  await checkSignIn(open.db, { email, password: "wrong password" }, "198.51.100.9");
  return performance.now() - started;
}

it("takes about as long for an unknown email as for a wrong password", async () => {
  insertUser(open.db, {
    email: "rita@example.com",
    name: "Rita",
    role: "reviewer",
    passwordHash: await hashPassword("right password"),
  });
  const known = Math.min(await timed("rita@example.com"), await timed("rita@example.com"));
  const unknown = Math.min(await timed("ghost@example.com"), await timed("ghost@example.com"));
  // Both run one bcrypt comparison of cost 12 (hundreds of ms); skipping it
  // for unknown emails would answer those in about a millisecond.
  expect(unknown).toBeGreaterThan(known * 0.5);
  expect(known).toBeGreaterThan(unknown * 0.5);
}, 30_000);

// Checking an email and password, with the same answer and about the same
// time for an unknown email, a wrong password and a disabled person.
import type { Db } from "@/db/client";
import { getUserByEmail } from "@/db/queries/users";
import type { User } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { recordRefusal } from "@/lib/http/refusals";
import { logFor } from "@/lib/log";
import { verifyPassword } from "./passwords";
import { reserveSignInAttempt, signInSucceeded } from "./sign-in-limits";

const log = logFor("auth");

// A real bcrypt hash of the same cost as stored ones, compared against when
// the email is unknown, so both paths take the same time.
const DUMMY_HASH = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5j6R5o0W1bqzVYh6zIB9sxjE6iqS2m.";

/** What next-auth shows the login form when the limit is reached: minutes to wait. */
export const TOO_MANY_ATTEMPTS = "too_many_attempts";

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: "wrong" }
  | { ok: false; reason: "limited"; retryAfterMinutes: number };

export async function checkSignIn(
  db: Db,
  input: { email: string; password: string },
  address: string,
): Promise<SignInResult> {
  // The attempt is counted before the comparison, so a burst of attempts sent
  // at once cannot all be compared (sign-in-limits.ts).
  const reservation = await reserveSignInAttempt(input.email, address);
  if (!reservation.allowed) {
    log.warn({ email: input.email, address }, "sign-in refused: too many failed attempts");
    return {
      ok: false,
      reason: "limited",
      retryAfterMinutes: Math.ceil(reservation.blockedMs / 60_000),
    };
  }

  const user = getUserByEmail(db, input.email);
  const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (user && ok && !user.disabled) {
    await signInSucceeded(input.email, address);
    log.info({ user: user.id }, "signed in");
    return { ok: true, user };
  }

  log.info({ email: input.email, address }, "sign-in refused");
  if (reservation.lastPoint) {
    // Recorded once per account or address per window, through the anonymous
    // refusal limit, so guessing cannot grow the audit history without bound.
    await recordRefusal(db, null, {
      attempt: `sign-in as ${input.email}`,
      error: new AppError("too_many_requests:sign_in", "too many failed sign-in attempts"),
      address,
    });
  }
  return { ok: false, reason: "wrong" };
}

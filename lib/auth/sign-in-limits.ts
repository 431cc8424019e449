// Failed sign-ins are counted per account (the email typed, known or not)
// and per client address; past either limit every attempt is refused, even
// with the right password, until the window ends. Unknown emails are counted
// the same way, so the limit reveals nothing about who has an account.
//
// An attempt takes its point from both counts BEFORE the password is
// compared (a reservation), so however many attempts arrive at once, at most
// FAILURES_PER_ACCOUNT of them per account, and FAILURES_PER_ADDRESS per
// address, are compared in a window. Reading the counts first and counting
// after the (slow) comparison let every attempt of a burst through.
//
// The counts live in this process's memory (rate-limiter-flexible): the gate
// runs as one process (docs/security.md), and a restart forgets them.
// TODO: several instances behind a load balancer each keep their own counts,
// which multiplies the limits; a shared store comes with PostgreSQL.
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export const SIGN_IN_WINDOW_SECONDS = 15 * 60;
export const FAILURES_PER_ACCOUNT = 5;
export const FAILURES_PER_ADDRESS = 30;

type Limiters = { account: RateLimiterMemory; address: RateLimiterMemory };

const globalForLimits = globalThis as unknown as { __signInLimits?: Limiters };

function limiters(): Limiters {
  return (globalForLimits.__signInLimits ??= {
    account: new RateLimiterMemory({
      keyPrefix: "sign-in-account",
      points: FAILURES_PER_ACCOUNT,
      duration: SIGN_IN_WINDOW_SECONDS,
    }),
    address: new RateLimiterMemory({
      keyPrefix: "sign-in-address",
      points: FAILURES_PER_ADDRESS,
      duration: SIGN_IN_WINDOW_SECONDS,
    }),
  });
}

/** Forgets every count (tests). */
export function resetSignInLimits(): void {
  globalForLimits.__signInLimits = undefined;
}

const accountKey = (email: string) => email.trim().toLowerCase();

export type Reservation =
  /** Past a limit: nothing may be compared for this many milliseconds. */
  | { allowed: false; blockedMs: number }
  /** The password may be compared; `lastPoint` when this attempt took a count's last point. */
  | { allowed: true; lastPoint: boolean };

// Gives back one point, unless the count is gone (its window ended meanwhile):
// a reward on a missing key would start a new window one point below zero.
async function giveBack(limiter: RateLimiterMemory, key: string): Promise<void> {
  const current = await limiter.get(key);
  if (current && current.consumedPoints > 0) await limiter.reward(key);
}

/**
 * Takes one point from the account's and the address's counts before the
 * password is compared. The memory store counts synchronously, so attempts
 * arriving together are ordered and only those within both limits are allowed.
 * A refused attempt gives back the point it took from the other count, so a
 * blocked account does not use up its address's allowance (and vice versa).
 */
export async function reserveSignInAttempt(email: string, address: string): Promise<Reservation> {
  const { account, address: byAddress } = limiters();
  const key = accountKey(email);
  const [a, b] = await Promise.allSettled([account.consume(key), byAddress.consume(address)]);
  if (a.status === "fulfilled" && b.status === "fulfilled") {
    const lastPoint =
      a.value.consumedPoints === FAILURES_PER_ACCOUNT ||
      b.value.consumedPoints === FAILURES_PER_ADDRESS;
    return { allowed: true, lastPoint };
  }
  if (a.status === "fulfilled") await giveBack(account, key);
  if (b.status === "fulfilled") await giveBack(byAddress, address);
  const waitMs = (r: PromiseSettledResult<RateLimiterRes>) => {
    if (r.status === "fulfilled") return 0;
    // The memory store rejects with the count only; anything else is a bug.
    if (!(r.reason instanceof RateLimiterRes)) throw r.reason;
    return r.reason.msBeforeNext;
  };
  return { allowed: false, blockedMs: Math.max(waitMs(a), waitMs(b), 1) };
}

/**
 * A right password clears the account's count and gives back the address's
 * point: the address limit counts failures only.
 */
export async function signInSucceeded(email: string, address: string): Promise<void> {
  const { account, address: byAddress } = limiters();
  await Promise.all([account.delete(accountKey(email)), giveBack(byAddress, address)]);
}

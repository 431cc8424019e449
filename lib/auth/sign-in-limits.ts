// Failed sign-ins are counted per account (the email typed, known or not)
// and per client address; past either limit every attempt is refused, even
// with the right password, until the window ends. Unknown emails are counted
// the same way, so the limit reveals nothing about who has an account.
//
// The counts live in this process's memory (rate-limiter-flexible): the gate
// runs as one process (docs/security.md), and a restart forgets them.
// TODO: several instances behind a load balancer each keep their own counts,
// which multiplies the limits; a shared store comes with PostgreSQL.
import { RateLimiterMemory, type RateLimiterRes } from "rate-limiter-flexible";

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

function blockedFor(res: RateLimiterRes | null, points: number): number {
  return res && res.consumedPoints >= points ? res.msBeforeNext : 0;
}

/** Milliseconds until this account and address may try again; 0 when they may now. */
export async function signInBlockedFor(email: string, address: string): Promise<number> {
  const { account, address: byAddress } = limiters();
  const [a, b] = await Promise.all([account.get(accountKey(email)), byAddress.get(address)]);
  return Math.max(blockedFor(a, FAILURES_PER_ACCOUNT), blockedFor(b, FAILURES_PER_ADDRESS));
}

/** Counts a failed attempt; true when it was the one that reached a limit. */
export async function countFailedSignIn(email: string, address: string): Promise<boolean> {
  const { account, address: byAddress } = limiters();
  const results = await Promise.allSettled([
    account.consume(accountKey(email)),
    byAddress.consume(address),
  ]);
  const reached = (r: PromiseSettledResult<RateLimiterRes>, points: number) =>
    r.status === "fulfilled" && r.value.consumedPoints === points;
  return reached(results[0], FAILURES_PER_ACCOUNT) || reached(results[1], FAILURES_PER_ADDRESS);
}

/** A right password clears the account's count (not the address's). */
export async function clearAccountFailures(email: string): Promise<void> {
  await limiters().account.delete(accountKey(email));
}

// When a failed delivery is tried again. The first retries come quickly, so
// a receiver that blinked or restarted gets the event within a minute or
// two; the later ones ride out a deploy or an outage of some hours. After
// the last one (about seven hours in) the delivery is marked failed rather
// than retried forever against a dead URL; an admin can send it again.
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Wait before retry n+1, after n failed attempts. */
export const RETRY_DELAYS_MS = [
  5 * SECOND,
  30 * SECOND,
  2 * MINUTE,
  10 * MINUTE,
  1 * HOUR,
  6 * HOUR,
] as const;

/** The most attempts one delivery gets: the first plus one per delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** When to try again after `attempts` failed attempts, or null to give up. */
export function nextAttemptAfter(attempts: number, at: Date): Date | null {
  const delay = RETRY_DELAYS_MS[attempts - 1];
  return delay === undefined ? null : new Date(at.getTime() + delay);
}

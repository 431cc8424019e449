// Refused attempts go into the audit history, written in a transaction of
// their own after the refused change has rolled back.
//
// Every refusal of a known caller (a person or a token) is recorded. Callers
// without valid credentials are recorded at most ANON_PER_ADDRESS times per
// address and ANON_TOTAL times in all per window, so an anonymous flood cannot
// grow the append-only log without bound; the rest go to the server log only.
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { Db } from "@/db/client";
import { appendAuditEvent } from "@/db/queries/audit";
import type { AppError } from "@/lib/errors";
import { actorAudit, type Actor } from "@/lib/gate/actor";
import { writeTransaction } from "@/lib/gate/transaction";
import { logFor } from "@/lib/log";

const log = logFor("refusals");

const WINDOW_SECONDS = 10 * 60;
export const ANON_PER_ADDRESS = 10;
export const ANON_TOTAL = 100;

// In memory: one process serves the gate (see docs/security.md); a second
// instance would keep its own counts.
type Limiters = { perAddress: RateLimiterMemory; total: RateLimiterMemory };
const globalForRefusals = globalThis as unknown as { __refusalLimits?: Limiters };

function limiters(): Limiters {
  return (globalForRefusals.__refusalLimits ??= {
    perAddress: new RateLimiterMemory({ points: ANON_PER_ADDRESS, duration: WINDOW_SECONDS }),
    total: new RateLimiterMemory({ points: ANON_TOTAL, duration: WINDOW_SECONDS }),
  });
}

/** Forgets the anonymous counts (tests). */
export function resetRefusalLimits(): void {
  globalForRefusals.__refusalLimits = undefined;
}

export type Refusal = {
  /** What was attempted: "POST /api/v1/…" or "action save-policy". */
  attempt: string;
  error: AppError;
  address: string;
};

async function anonymousMayBeRecorded(address: string): Promise<boolean> {
  const { perAddress, total } = limiters();
  try {
    await perAddress.consume(address);
    await total.consume("all");
    return true;
  } catch {
    return false;
  }
}

export async function recordRefusal(db: Db, actor: Actor | null, refusal: Refusal) {
  const fields = { attempt: refusal.attempt, code: refusal.error.code, address: refusal.address };
  if (!actor && !(await anonymousMayBeRecorded(refusal.address))) {
    log.warn(fields, "refusal not recorded in the audit history: anonymous limit reached");
    return;
  }
  const by = actor
    ? actorAudit(actor)
    : { actorType: "user" as const, actorId: null, actorName: "anonymous" };
  try {
    writeTransaction(db, (tx) =>
      appendAuditEvent(
        tx,
        {
          ...by,
          action: "access.refused",
          subjectType: "access",
          subjectId: null,
          modelId: null,
          summary: `refused ${refusal.attempt}: ${refusal.error.message}`,
          details: { ...fields, status: refusal.error.status },
        },
        new Date(),
      ),
    );
  } catch (error) {
    // The caller gets its refusal either way; a busy database must not turn it into a 500.
    log.error({ ...fields, err: error }, "could not record a refusal");
  }
}

/** Which refusals are recorded: 401 and 403, not bad input or conflicts. */
export function isRefusal(error: AppError): boolean {
  return error.status === 401 || error.status === 403;
}

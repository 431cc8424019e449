// Which policy judges a request: the model's environment policy, else the
// organisation default, else the built-in one.
import type { DbOrTx } from "@/db/client";
import { DEFAULT_SCOPE, getCurrentPolicy, getPolicyById, scopeKeyFor } from "@/db/queries/policies";
import type { Policy as PolicyRow } from "@/db/schema";
import { parsePolicy } from "@/lib/policy/parse-policy";
import { DEFAULT_POLICY, type Policy } from "@/lib/policy/policy";

export type ResolvedPolicy = { policy: Policy; row: PolicyRow | null };

function fromRow(row: PolicyRow): ResolvedPolicy {
  const parsed = parsePolicy(row.source);
  // Sources are validated before they are stored, so this means a corrupted row.
  if (!parsed.ok) throw new Error(`stored policy ${row.id} no longer parses`);
  return { policy: parsed.policy, row };
}

export function currentPolicyFor(
  db: DbOrTx,
  modelId: number,
  environmentId: number,
): ResolvedPolicy {
  const row =
    getCurrentPolicy(db, scopeKeyFor(modelId, environmentId)) ??
    getCurrentPolicy(db, DEFAULT_SCOPE);
  return row ? fromRow(row) : { policy: DEFAULT_POLICY, row: null };
}

/** The revision a request was judged under, even if newer ones exist. */
export function policyOfRequest(db: DbOrTx, policyId: number | null): ResolvedPolicy {
  if (policyId === null) return { policy: DEFAULT_POLICY, row: null };
  const row = getPolicyById(db, policyId);
  if (!row) throw new Error(`policy ${policyId} is missing`);
  return fromRow(row);
}

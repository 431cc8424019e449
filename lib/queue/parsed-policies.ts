// Policies by revision id, for pages that judge many requests at once. Rows
// are read in one query; parsing, the costly part, is remembered by source
// text, so it is right for any database and never goes stale.
import type { DbOrTx } from "@/db/client";
import { listPoliciesByIds } from "@/db/queries/policies";
import { parsePolicy } from "@/lib/policy/parse-policy";
import { DEFAULT_POLICY, type Policy } from "@/lib/policy/policy";

// Far above the revisions that judge open requests in a real installation;
// past it the cache starts again rather than grow without end.
const MAX_CACHED = 20_000;

const globalForPolicies = globalThis as unknown as { __parsedPolicies?: Map<string, Policy> };
const parsedBySource = (globalForPolicies.__parsedPolicies ??= new Map());

function parseCached(id: number, source: string): Policy {
  const cached = parsedBySource.get(source);
  if (cached) return cached;
  const parsed = parsePolicy(source);
  // Sources are validated before they are stored, so this means a corrupted row.
  if (!parsed.ok) throw new Error(`stored policy ${id} no longer parses`);
  if (parsedBySource.size >= MAX_CACHED) parsedBySource.clear();
  parsedBySource.set(source, parsed.policy);
  return parsed.policy;
}

/** Each id's policy (null: the built-in default). */
export function policiesByIds(db: DbOrTx, ids: (number | null)[]): Map<number | null, Policy> {
  const wanted = [...new Set(ids)].filter((id): id is number => id !== null);
  const out = new Map<number | null, Policy>();
  if (ids.includes(null)) out.set(null, DEFAULT_POLICY);
  for (const row of listPoliciesByIds(db, wanted)) out.set(row.id, parseCached(row.id, row.source));
  const lost = wanted.find((id) => !out.has(id));
  if (lost !== undefined) throw new Error(`policy ${lost} is missing`);
  return out;
}

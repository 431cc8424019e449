// Parameters and tags of a candidate beside those of the version live in
// the same environment: what was added, removed or changed, with the
// unchanged ones kept apart so the differences are what a reviewer reads.

export type DiffStatus = "changed" | "added" | "removed" | "unchanged";

export type DiffRow = {
  key: string;
  status: DiffStatus;
  /** The live version's value; null when it had none. */
  before: string | null;
  /** The candidate's value; null when it has none. */
  after: string | null;
};

type Value = string | number | boolean;

const ORDER: Record<DiffStatus, number> = { changed: 0, added: 1, removed: 2, unchanged: 3 };

// A string "1" and a number 1 are different parameters; show which is which.
function shown(value: Value): string {
  return typeof value === "string" && /^(-?[0-9.e+-]+|true|false)$/i.test(value)
    ? JSON.stringify(value)
    : String(value);
}

/** Differences first (changed, added, removed), each in key order; unchanged last. */
export function diffRecords(
  candidate: Record<string, Value>,
  base: Record<string, Value>,
): DiffRow[] {
  const keys = new Set([...Object.keys(candidate), ...Object.keys(base)]);
  const rows = [...keys].map((key): DiffRow => {
    const has = Object.hasOwn(candidate, key);
    const had = Object.hasOwn(base, key);
    const after = has ? shown(candidate[key] as Value) : null;
    const before = had ? shown(base[key] as Value) : null;
    const status: DiffStatus = !had
      ? "added"
      : !has
        ? "removed"
        : Object.is(candidate[key], base[key])
          ? "unchanged"
          : "changed";
    return { key, status, before, after };
  });
  return rows.sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.key.localeCompare(b.key));
}

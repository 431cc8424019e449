// What was live in one environment, worked out from its deployment rows
// alone: plain functions, so the model page, the rollback and the tests
// share one answer to "what was live at T".
import type { DeploymentKind } from "@/db/schema";

export type DeploymentEntry = {
  id: number;
  versionNumber: number;
  kind: DeploymentKind;
  createdAt: Date;
};

/** Oldest first; rows written in the same millisecond keep their id order. */
export function inOrder<T extends DeploymentEntry>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
}

/**
 * The deployment live at instant `at`: the newest one made at or before it.
 * A deployment is live from its own instant on; before the first, nothing is.
 */
export function liveAt<T extends DeploymentEntry>(rows: readonly T[], at: Date): T | null {
  let live: T | null = null;
  for (const row of inOrder(rows)) {
    if (row.createdAt.getTime() > at.getTime()) break;
    live = row;
  }
  return live;
}

export type DayAnswer = {
  /** Live at the last instant of the day (the day's end is exclusive). */
  atEnd: number | null;
  /** Versions live at some moment of [start, end), in the order they went live. */
  during: number[];
};

/** Which versions were live in the window [start, end). */
export function liveDuring(rows: readonly DeploymentEntry[], start: Date, end: Date): DayAnswer {
  const ordered = inOrder(rows);
  const during: number[] = [];
  const add = (n: number) => {
    if (during.at(-1) !== n) during.push(n);
  };
  const first = liveAt(ordered, start);
  if (first) add(first.versionNumber);
  for (const row of ordered) {
    const t = row.createdAt.getTime();
    if (t > start.getTime() && t < end.getTime()) add(row.versionNumber);
  }
  const last = liveAt(ordered, new Date(end.getTime() - 1));
  return { atEnd: last?.versionNumber ?? null, during };
}

export type TimelineEntry<T> = T & {
  /** The version this deployment replaced, if any. */
  replaced: number | null;
  /** When the next deployment replaced it; null while it is still live. */
  until: Date | null;
  /** How long it was (or has so far been) live, in milliseconds. */
  liveForMs: number;
};

/** Each deployment with what it replaced and how long it stayed live, oldest first. */
export function timeline<T extends DeploymentEntry>(
  rows: readonly T[],
  now: Date,
): TimelineEntry<T>[] {
  const ordered = inOrder(rows);
  return ordered.map((row, i) => {
    const next = ordered[i + 1];
    const until = next ? next.createdAt : null;
    return {
      ...row,
      replaced: ordered[i - 1]?.versionNumber ?? null,
      until,
      liveForMs: Math.max(0, (until ?? now).getTime() - row.createdAt.getTime()),
    };
  });
}

/**
 * The versions an environment would step back through, current last. A
 * deployment puts its version on top; a rollback took the top one off, so
 * rolling back twice goes two steps back instead of returning to where it
 * started.
 */
export function rollbackStack(rows: readonly DeploymentEntry[]): DeploymentEntry[] {
  const stack: DeploymentEntry[] = [];
  for (const row of inOrder(rows)) {
    if (row.kind === "rollback") {
      // Undo the current one; the rollback row then stands in for the
      // deployment it uncovered (same version, newer row).
      stack.pop();
      stack.pop();
    }
    stack.push(row);
  }
  return stack;
}

/** The deployment a rollback returns to: the one live before the current one. */
export function rollbackTarget(rows: readonly DeploymentEntry[]): DeploymentEntry | null {
  return rollbackStack(rows).at(-2) ?? null;
}

/** "2 d 3 h", "4 h 12 min", "35 s": the two largest units, enough to compare. */
export function formatDuration(ms: number): string {
  const units: Array<[string, number]> = [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["min", 60_000],
    ["s", 1000],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, Math.floor(ms));
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n} ${name}`);
    if (parts.length === 2) break;
  }
  const shown = parts.filter((p) => !p.startsWith("0 "));
  return shown.length > 0 ? shown.join(" ") : "under 1 s";
}

// Reduces a version's metric rows to one value per name, the value policies
// and charts compare. Series points (with a step) count only when a name has
// no summary value, and then the last step stands for the series. The
// series themselves, downsampled for charts, are in series.ts.

export type MetricRow = {
  id: number;
  name: string;
  value: number;
  step: number | null;
  split: string | null;
};

// Held-out results are what a gate should judge, so they win over training.
const SPLIT_PREFERENCE = ["test", "validation", "val", null];

function splitRank(split: string | null): number {
  const i = SPLIT_PREFERENCE.indexOf(split);
  return i === -1 ? SPLIT_PREFERENCE.length : i;
}

function better(a: MetricRow, b: MetricRow): MetricRow {
  if ((a.step === null) !== (b.step === null)) return a.step === null ? a : b;
  if (a.step !== null && b.step !== null && a.step !== b.step) return a.step > b.step ? a : b;
  const ra = splitRank(a.split);
  const rb = splitRank(b.split);
  if (ra !== rb) return ra < rb ? a : b;
  return a.id > b.id ? a : b;
}

/** The row each name's summary value comes from: its split and step say where it was measured. */
export function summaryRowsByName(rows: readonly MetricRow[]): Map<string, MetricRow> {
  const chosen = new Map<string, MetricRow>();
  for (const row of rows) {
    const current = chosen.get(row.name);
    chosen.set(row.name, current ? better(current, row) : row);
  }
  return chosen;
}

export function summaryValues(rows: readonly MetricRow[]): Record<string, number> {
  return Object.fromEntries([...summaryRowsByName(rows)].map(([name, row]) => [name, row.value]));
}

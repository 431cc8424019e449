// Pure helpers of `npm run bench`: summarising load-tool results, ratios
// against a reference measured in the same run, targets, and the one table
// the bench prints (Markdown, so it can go into docs/benchmarks.md as is).

/** What one load run comes down to. */
export type LoadSummary = {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
};

/** The fields of an autocannon result this bench reads. */
export type LoadResult = {
  "2xx": number;
  duration: number;
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
};

/** Requests per second counts successful answers only: an error is no throughput. */
export function summarizeLoad(result: LoadResult): LoadSummary {
  return {
    rps: result.duration > 0 ? result["2xx"] / result.duration : 0,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when empty. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function timingSummary(samples: readonly number[]) {
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), n: samples.length };
}

/** A figure's goal: on the figure itself or on its ratio to the reference. */
export type Target = { on: "measured" | "ratio"; op: "<=" | ">="; value: number };

export type BenchRow = {
  row: string;
  measured: number;
  unit: string;
  reference?: { label: string; value: number };
  target?: Target;
  note?: string;
};

export function ratioOf(row: BenchRow): number | null {
  if (!row.reference || row.reference.value === 0 || !Number.isFinite(row.reference.value))
    return null;
  return row.measured / row.reference.value;
}

/** "pass", "miss", or null when the row has no target (or nothing to judge). */
export function verdict(row: BenchRow): "pass" | "miss" | null {
  if (!row.target) return null;
  const value = row.target.on === "ratio" ? ratioOf(row) : row.measured;
  if (value === null || !Number.isFinite(value)) return "miss";
  return (row.target.op === "<=" ? value <= row.target.value : value >= row.target.value)
    ? "pass"
    : "miss";
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString("en-US");
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function formatTarget(row: BenchRow): string {
  const t = row.target;
  if (!t) return "";
  const what = t.on === "ratio" ? `ratio ${t.op} ${t.value}` : `${t.op} ${t.value} ${row.unit}`;
  return what.replace("<=", "≤").replace(">=", "≥");
}

const HEADER = ["row", "measured", "reference", "ratio", "target", "result"];

/** The table, one line per row, in Markdown. */
export function renderTable(rows: readonly BenchRow[]): string {
  const cells = rows.map((r) => {
    const ratio = ratioOf(r);
    return [
      r.row,
      `${formatNumber(r.measured)} ${r.unit}`,
      r.reference ? `${formatNumber(r.reference.value)} ${r.unit} (${r.reference.label})` : "",
      ratio === null ? "" : `${ratio.toFixed(2)}×`,
      formatTarget(r),
      verdict(r) ?? "",
    ];
  });
  const widths = HEADER.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(HEADER), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** Notes under the table, one per row that has one. */
export function renderNotes(rows: readonly BenchRow[]): string {
  return rows
    .filter((r) => r.note)
    .map((r) => `- ${r.row}: ${r.note}`)
    .join("\n");
}

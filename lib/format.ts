// Number and time formatting shared by pages and charts.

/** Decimals shown by default: 4 below 100 (0.8996 vs 0.9004), 1 above. */
function baseDecimals(value: number): number {
  return Math.abs(value) >= 100 ? 1 : 4;
}

// Past this many decimals beyond the default, two values are told apart by
// their shortest exact form (String(value)), which differs for any two numbers.
const MAX_EXTRA_DECIMALS = 8;

/**
 * Infinity as decimals asks for the exact shortest form. A value that is not
 * zero never prints as zero: 1e-9 at four decimals would read 0.0000, so it
 * gets two significant digits instead (1.0e-9).
 */
function fixed(value: number, decimals: number): string {
  if (!Number.isFinite(decimals)) return String(value);
  const text = value.toFixed(decimals);
  return value !== 0 && Number(text) === 0 ? value.toPrecision(2) : text;
}

/** Four decimals below 100, one above; `extra` adds decimals. Missing prints as a dash. */
export function formatMetric(value: number | null | undefined, extra = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return fixed(value, extra > MAX_EXTRA_DECIMALS ? Infinity : baseDecimals(value) + extra);
}

/**
 * A value read on its own, as a chart's tick or tooltip shows it: formatMetric
 * with as many extra decimals as show `digits` significant digits, so a loss
 * of 0.00003 never reads 0.0000 (past formatMetric's extra decimals, the exact
 * shortest form, e.g. 3e-13). With two digits, values from 0.001 up print as
 * formatMetric prints them, so the charts agree with the tables.
 */
export function formatSignificant(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value) || value === 0) {
    return formatMetric(value);
  }
  const size = Math.abs(value);
  const needed = digits - 1 - Math.floor(Math.log10(size));
  return formatMetric(value, Math.max(0, needed - baseDecimals(size)));
}

/**
 * Decimals for values shown side by side (a candidate, the live value and
 * thresholds): the default for the largest of them, plus as many as make
 * every different value print differently, so that 0.89996 beside a 0.9
 * threshold does not read as 0.9000 when the decision says it is below.
 * Infinity when only the exact form tells two of them apart.
 */
export function decimalsToTellApart(values: readonly (number | null | undefined)[]): number {
  const distinct = [...new Set(values.filter((v): v is number => Number.isFinite(v)))];
  const largest = Math.max(0, ...distinct.map(Math.abs));
  const base = baseDecimals(largest);
  for (let d = base; d <= base + MAX_EXTRA_DECIMALS; d++) {
    if (new Set(distinct.map((v) => v.toFixed(d))).size === distinct.length) return d;
  }
  return Infinity;
}

/** Prints a value with the decimals chosen by decimalsToTellApart. */
export function formatWith(value: number | null | undefined, decimals: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return fixed(value, decimals);
}

/** A formatter for values shown side by side: each one readable, none two alike. */
export function formatterFor(
  values: readonly (number | null | undefined)[],
): (value: number | null | undefined) => string {
  const decimals = decimalsToTellApart(values);
  return (value) => formatWith(value, decimals);
}

/** What a reviewer reads a metric against: a check of `actual` against `value`. */
export type CheckedValue = { metric: string; actual: number | null; value: number };

/**
 * Formatters for a list of checks (the queue's "metric value (threshold)"
 * lines), one per metric: its value and every threshold it is checked
 * against get the digits that tell them apart, so 0.94996 under
 * "accuracy >= 0.95" prints as 0.94996, never as a 0.9500 marked as failing.
 */
export function formattersByMetric(
  checks: readonly CheckedValue[],
): (metric: string) => (value: number | null | undefined) => string {
  const compared = new Map<string, number[]>();
  for (const c of checks) {
    const list = compared.get(c.metric) ?? [];
    if (c.actual !== null) list.push(c.actual);
    list.push(c.value);
    compared.set(c.metric, list);
  }
  const formatters = new Map([...compared].map(([m, values]) => [m, formatterFor(values)]));
  return (metric) => formatters.get(metric) ?? formatMetric;
}

/**
 * A signed difference with the given decimals (default: as formatMetric).
 * A non-zero delta never prints as +0.0000: it gets the decimals it needs
 * to show its first significant digit.
 */
export function formatDelta(value: number, decimals?: number): string {
  if (!Number.isFinite(value)) return "—";
  const sign = value > 0 ? "+" : value < 0 ? "−" : "±";
  const size = Math.abs(value);
  let d = decimals ?? baseDecimals(size);
  while (Number.isFinite(d) && d < 20 && size !== 0 && Number(size.toFixed(d)) === 0) d++;
  return `${sign}${fixed(size, d)}`;
}

export function ageOf(from: Date, now: Date = new Date()): string {
  const minutes = Math.max(0, Math.round((now.getTime() - from.getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}

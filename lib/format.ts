// Number and time formatting shared by pages and charts.

/** Four decimals below 100: enough to tell 0.8996 from 0.9004. */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  if (Math.abs(value) >= 100) return value.toFixed(1);
  return value.toFixed(4);
}

export function formatDelta(value: number): string {
  return `${value >= 0 ? "+" : "−"}${formatMetric(Math.abs(value))}`;
}

export function ageOf(from: Date, now: Date = new Date()): string {
  const minutes = Math.max(0, Math.round((now.getTime() - from.getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}

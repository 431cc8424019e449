// What every chart shares: colours from CSS variables (so dark mode follows
// the system) and number formatting that agrees with the tables.
import { formatSignificant } from "@/lib/format";

export const COLORS = {
  candidate: "var(--color-candidate)",
  deployed: "var(--color-deployed)",
  threshold: "var(--color-threshold)",
  floor: "var(--color-floor)",
  grid: "var(--color-grid)",
  axis: "var(--color-axis)",
} as const;

export const axisTick = { fill: COLORS.axis, fontSize: 12 };

// Ticks and a curve's points are read one at a time, and a loss may end far
// below 0.0001: significant digits, not a fixed four decimals.
export function tooltipValue(value: unknown): string {
  return typeof value === "number" ? formatSignificant(value) : String(value ?? "");
}

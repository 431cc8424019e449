// What every chart shares: colours from CSS variables (so dark mode follows
// the system) and number formatting that agrees with the tables.
import { formatMetric } from "@/lib/format";

export const COLORS = {
  candidate: "var(--color-candidate)",
  deployed: "var(--color-deployed)",
  threshold: "var(--color-threshold)",
  floor: "var(--color-floor)",
  grid: "var(--color-grid)",
  axis: "var(--color-axis)",
} as const;

export const axisTick = { fill: COLORS.axis, fontSize: 12 };

export function tooltipValue(value: unknown): string {
  return typeof value === "number" ? formatMetric(value) : String(value ?? "");
}

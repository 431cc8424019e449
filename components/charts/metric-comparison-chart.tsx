"use client";
// One small chart per metric: the candidate beside the version live in the
// environment, with the policy's thresholds drawn as lines. Values are dots
// on a zoomed axis, not bars: a bar cut off at a non-zero origin would
// exaggerate small differences.
import {
  CartesianGrid,
  Cell,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatterFor } from "@/lib/format";
import { axisTick, COLORS, tooltipValue } from "./chart-theme";

export type Comparison = {
  metric: string;
  candidate: number | null;
  deployed: number | null;
  thresholds: { label: string; value: number }[];
};

function domainFor(c: Comparison): [number, number] {
  const values = [c.candidate, c.deployed, ...c.thresholds.map((t) => t.value)].filter(
    (v): v is number => v !== null,
  );
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = Math.max((max - min) * 0.25, Math.abs(max) * 0.002, 0.001);
  const lo = min - pad;
  const hi = max + pad;
  // Scores live in [0, 1]; do not draw beyond it.
  return min >= 0 && max <= 1 ? [Math.max(0, lo), Math.min(1, hi)] : [lo, hi];
}

const thresholdColor = (label: string) =>
  label.startsWith("floor") ? COLORS.floor : COLORS.threshold;

export function MetricComparisonChart({
  comparison,
  candidateLabel,
  deployedLabel,
}: {
  comparison: Comparison;
  candidateLabel: string;
  deployedLabel: string | null;
}) {
  const data = [
    { name: candidateLabel, value: comparison.candidate },
    ...(deployedLabel ? [{ name: deployedLabel, value: comparison.deployed }] : []),
  ];
  const [lo, hi] = domainFor(comparison);
  // The same digits as the table, so 0.94996 beside 0.95 never shows as 0.9500.
  const format = formatterFor([
    comparison.candidate,
    comparison.deployed,
    ...comparison.thresholds.map((t) => t.value),
  ]);
  const tooltip = (value: unknown) => (typeof value === "number" ? format(value) : String(value));
  return (
    <figure className="rounded border border-gray-200 p-2 dark:border-gray-800">
      <figcaption className="mb-1 text-sm font-medium">{comparison.metric}</figcaption>
      <ResponsiveContainer width="100%" height={60 + data.length * 24}>
        <ScatterChart margin={{ left: 8, right: 24, top: 8, bottom: 0 }}>
          <CartesianGrid stroke={COLORS.grid} horizontal={false} />
          <XAxis
            type="number"
            dataKey="value"
            domain={[lo, hi]}
            tick={axisTick}
            tickFormatter={tooltipValue}
            tickCount={4}
            allowDataOverflow
          />
          <YAxis
            type="category"
            dataKey="name"
            tick={axisTick}
            width={80}
            allowDuplicatedCategory={false}
          />
          <Tooltip formatter={tooltip} cursor={false} />
          {comparison.thresholds.map((t) => (
            <ReferenceLine
              key={t.label}
              x={t.value}
              stroke={thresholdColor(t.label)}
              strokeDasharray="4 2"
              ifOverflow="extendDomain"
            />
          ))}
          <Scatter data={data} name={comparison.metric} isAnimationActive={false}>
            {data.map((d, i) => (
              <Cell key={d.name} fill={i === 0 ? COLORS.candidate : COLORS.deployed} />
            ))}
          </Scatter>
        </ScatterChart>
      </ResponsiveContainer>
      {comparison.thresholds.length > 0 ? (
        <ul className="mt-1 text-xs text-gray-600 dark:text-gray-400">
          {comparison.thresholds.map((t) => (
            <li key={t.label}>
              <span aria-hidden style={{ color: thresholdColor(t.label) }}>
                ┆{" "}
              </span>
              {t.label} ({format(t.value)})
            </li>
          ))}
        </ul>
      ) : null}
    </figure>
  );
}

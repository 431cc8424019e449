"use client";
// One small chart per metric: the candidate beside the version live in the
// environment, with the policy's thresholds drawn as lines.
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
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
  // Scores between 0 and 1 read best zoomed in around the values compared.
  if (min >= 0 && max <= 1) {
    const pad = Math.max((max - min) * 0.5, 0.01);
    return [Math.max(0, min - pad), Math.min(1, max + pad)];
  }
  return [Math.min(0, min), max * 1.1];
}

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
  return (
    <figure className="rounded border border-gray-200 p-2 dark:border-gray-800">
      <figcaption className="mb-1 text-sm font-medium">{comparison.metric}</figcaption>
      <ResponsiveContainer width="100%" height={90 + data.length * 10}>
        <BarChart data={data} layout="vertical" margin={{ left: 8, right: 24, top: 16 }}>
          <CartesianGrid stroke={COLORS.grid} horizontal={false} />
          <XAxis
            type="number"
            domain={[lo, hi]}
            tick={axisTick}
            tickFormatter={tooltipValue}
            allowDataOverflow
          />
          <YAxis type="category" dataKey="name" tick={axisTick} width={90} />
          <Tooltip formatter={tooltipValue} />
          <Bar dataKey="value" name={comparison.metric} isAnimationActive={false}>
            {data.map((d, i) => (
              <Cell key={d.name} fill={i === 0 ? COLORS.candidate : COLORS.deployed} />
            ))}
          </Bar>
          {comparison.thresholds.map((t) => (
            <ReferenceLine
              key={t.label}
              x={t.value}
              stroke={t.label.startsWith("reject") ? COLORS.floor : COLORS.threshold}
              strokeDasharray="4 2"
              label={{ value: t.label, position: "insideTopLeft", fill: COLORS.axis, fontSize: 11 }}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

"use client";
// One metric across a model's versions. The tooltip prints a version's value
// with the decimals the versions table uses, so the two always agree.
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatWith } from "@/lib/format";
import { axisTick, COLORS, tooltipValue } from "./chart-theme";

export function MetricTrendChart({
  metric,
  points,
  xLabel = "version",
  decimals,
}: {
  metric: string;
  points: { x: number; value: number }[];
  xLabel?: string;
  /** From decimalsToTellApart over the values shown beside these (Infinity: exact form). */
  decimals: number;
}) {
  const tooltip = (value: unknown) =>
    typeof value === "number" ? formatWith(value, decimals) : String(value ?? "");
  return (
    <ResponsiveContainer width="100%" height={240}>
      <LineChart data={points} margin={{ left: 8, right: 16, top: 8, bottom: 16 }}>
        <CartesianGrid stroke={COLORS.grid} />
        <XAxis
          dataKey="x"
          tick={axisTick}
          label={{ value: xLabel, position: "insideBottom", offset: -2, fill: COLORS.axis }}
        />
        <YAxis tick={axisTick} tickFormatter={tooltipValue} domain={["auto", "auto"]} width={70} />
        <Tooltip formatter={tooltip} labelFormatter={(x) => `${xLabel} ${x}`} />
        <Line
          type="linear"
          dataKey="value"
          name={metric}
          stroke={COLORS.candidate}
          dot
          isAnimationActive={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}

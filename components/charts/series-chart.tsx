"use client";
// A learning curve: one line per split, already downsampled on the server.
// The reader can switch the value axis to log; zero and negative points
// then become gaps, a note says how many, and when nothing could be drawn
// the chart stays linear rather than going blank.
import { useId, useState } from "react";
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatterFor } from "@/lib/format";
import { logAxisNote, prepareForLogAxis } from "@/lib/metrics/log-axis";
import type { Series } from "@/lib/metrics/series";
import { axisTick, COLORS, tooltipValue } from "./chart-theme";

const LINE_COLORS = [COLORS.candidate, COLORS.floor, COLORS.threshold, COLORS.deployed];

export function SeriesChart({ series }: { series: Series }) {
  const [scale, setScale] = useState<"linear" | "log">("linear");
  const name = useId();
  const prepared = series.lines.map((line) => ({ line, log: prepareForLogAxis(line.points) }));
  const total = series.lines.reduce((n, l) => n + l.count, 0);
  const hidden = series.lines.reduce((n, l) => n + l.nonPositive, 0);
  // Nothing positive anywhere: a log axis would be empty, so stay linear.
  const nothingToDraw = prepared.every((p) => p.log.nothingToDraw) || hidden === total;
  const log = scale === "log" && !nothingToDraw;
  const note = scale === "log" ? logAxisNote(hidden, total) : null;
  // Last, lowest and highest of every split are read against each other.
  const stat = formatterFor(series.lines.flatMap((l) => [l.last.value, l.min.value, l.max.value]));

  return (
    <figure className="rounded border border-gray-200 p-2 dark:border-gray-800">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <figcaption className="text-sm font-medium">{series.metric} by step</figcaption>
        <fieldset className="flex items-center gap-3 text-sm">
          <legend className="sr-only">Value axis of {series.metric}</legend>
          {(["linear", "log"] as const).map((s) => (
            <label key={s} className="flex items-center gap-1">
              <input
                type="radio"
                name={name}
                value={s}
                checked={scale === s}
                onChange={() => setScale(s)}
              />
              {s === "linear" ? "Linear" : "Log"}
            </label>
          ))}
        </fieldset>
      </div>
      <div data-testid="series-chart" data-scale={log ? "log" : "linear"}>
        <ResponsiveContainer width="100%" height={240}>
          <LineChart margin={{ left: 8, right: 16, top: 8, bottom: 16 }}>
            <CartesianGrid stroke={COLORS.grid} />
            <XAxis
              type="number"
              dataKey="step"
              domain={["dataMin", "dataMax"]}
              tick={axisTick}
              label={{ value: "step", position: "insideBottom", offset: -2, fill: COLORS.axis }}
            />
            <YAxis
              scale={log ? "log" : "linear"}
              domain={["auto", "auto"]}
              allowDataOverflow={log}
              tick={axisTick}
              tickFormatter={tooltipValue}
              width={70}
            />
            <Tooltip formatter={tooltipValue} labelFormatter={(x) => `step ${x}`} />
            {series.lines.length > 1 ? <Legend /> : null}
            {prepared.map(({ line, log: ready }, i) => (
              <Line
                key={line.split ?? ""}
                data={log ? ready.points : line.points}
                dataKey="value"
                name={line.split ?? series.metric}
                type="linear"
                stroke={LINE_COLORS[i % LINE_COLORS.length]}
                dot={line.points.length <= 40}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      {note ? (
        <p className="mt-1 text-sm text-amber-800 dark:text-amber-300" role="note">
          {note}
        </p>
      ) : null}
      <ul className="mt-1 space-y-0.5 text-xs text-gray-600 dark:text-gray-400">
        {series.lines.map((l) => (
          <li key={l.split ?? ""} data-testid="series-stats">
            {l.split ? <strong>{l.split}: </strong> : null}
            last {stat(l.last.value)} at step {l.last.step} · min {stat(l.min.value)} (step{" "}
            {l.min.step}) · max {stat(l.max.value)} (step {l.max.step}) ·{" "}
            {l.count.toLocaleString("en")} points
            {l.points.length < l.count ? `, ${l.points.length} drawn` : ""}
          </li>
        ))}
      </ul>
    </figure>
  );
}

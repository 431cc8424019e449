"use client";
// The charts, loaded after the page is visible: recharts is most of these
// pages' JavaScript, and a chart needs the browser's width anyway. Each
// placeholder holds the chart's height so the layout does not jump.
import dynamic from "next/dynamic";
import type { ComponentProps } from "react";
import type { MetricComparisonChart as Comparison } from "./metric-comparison-chart";

/** Chart heights, as the chart components draw them (see each component). */
export const TREND_HEIGHT = 240;
// Caption, padding and border of a figure around the chart.
const FIGURE_CHROME = 44;
const comparisonHeight = (points: number) => 60 + points * 24 + FIGURE_CHROME;
const SERIES_HEIGHT = 240 + FIGURE_CHROME;

function Placeholder({ height, framed }: { height: number; framed: boolean }) {
  return (
    <div
      style={{ height }}
      aria-busy="true"
      className={`flex items-center justify-center text-sm text-gray-500 dark:text-gray-400 ${
        framed ? "rounded border border-gray-200 dark:border-gray-800" : ""
      }`}
    >
      Loading chart…
    </div>
  );
}

export const MetricTrendChart = dynamic(
  () => import("./metric-trend-chart").then((m) => m.MetricTrendChart),
  { ssr: false, loading: () => <Placeholder height={TREND_HEIGHT} framed={false} /> },
);

export const SeriesChart = dynamic(() => import("./series-chart").then((m) => m.SeriesChart), {
  ssr: false,
  loading: () => <Placeholder height={SERIES_HEIGHT} framed />,
});

const ComparisonChart = dynamic(
  () => import("./metric-comparison-chart").then((m) => m.MetricComparisonChart),
  // Sized by the wrapper below, which knows how many points the chart draws.
  { ssr: false, loading: () => <Placeholder height={comparisonHeight(1)} framed /> },
);

export function MetricComparisonChart(props: ComponentProps<typeof Comparison>) {
  const points = props.deployedLabel ? 2 : 1;
  return (
    <div style={{ minHeight: comparisonHeight(points) }}>
      <ComparisonChart {...props} />
    </div>
  );
}

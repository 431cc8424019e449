// A log axis cannot draw zero or a negative value. Rather than let the
// chart library fail to a blank plot, such points become gaps and the page
// says how many were hidden; when nothing is left the linear chart stays.
import type { SeriesPoint } from "./series";

export type LogReadyPoint = { step: number; value: number | null };

export type LogPreparation = {
  points: LogReadyPoint[];
  /** Points shown as gaps because they are zero or negative. */
  hidden: number;
  /** True when no point could be drawn: fall back to a linear axis. */
  nothingToDraw: boolean;
};

export function prepareForLogAxis(points: readonly SeriesPoint[]): LogPreparation {
  let hidden = 0;
  const ready = points.map((p) => {
    if (p.value > 0) return p;
    hidden++;
    return { step: p.step, value: null };
  });
  return { points: ready, hidden, nothingToDraw: hidden === points.length };
}

/** The note under a log chart; null when every point is drawn. */
export function logAxisNote(hidden: number, total: number): string | null {
  if (hidden === 0) return null;
  const what = hidden === 1 ? "1 point is" : `${hidden.toLocaleString("en")} points are`;
  if (hidden === total) {
    return (
      `All ${total.toLocaleString("en")} points are zero or negative, which a log axis ` +
      "cannot show; the chart stays linear."
    );
  }
  return `${what} zero or negative and cannot be drawn on a log axis: shown as gaps.`;
}

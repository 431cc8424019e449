// Row 4's 100,000-point page of `npm run bench`: one version's learning curve
// of SERIES_POINTS steps sent through the metrics API in calls of 10,000
// values, then its version page opened as a reviewer. The page must open in
// about a second: the series is downsampled on the server, so the HTML stays
// small however long the curve is.
import { getUserByEmail } from "@/db/queries/users";
import type { Db } from "@/db/client";
import { MAX_METRICS_PER_CALL } from "@/lib/gate/inputs";
import type { BenchRow } from "./report";
import { pageRows, sessionCookie } from "./pages";

export const SERIES_POINTS = Number(process.env.BENCH_SERIES_POINTS ?? 100_000);

async function sendSeries(base: string, pipelineSecret: string): Promise<number[]> {
  const headers = { authorization: `Bearer ${pipelineSecret}`, "content-type": "application/json" };
  const versions = `${base}/api/v1/models/bench-series/versions`;
  const first = await fetch(versions, {
    method: "POST",
    headers,
    body: JSON.stringify({ metrics: [{ name: "accuracy", value: 0.9 }] }),
  });
  if (first.status !== 201) throw new Error(`registration answered ${first.status}`);
  const calls: number[] = [];
  for (let from = 0; from < SERIES_POINTS; from += MAX_METRICS_PER_CALL) {
    const count = Math.min(MAX_METRICS_PER_CALL, SERIES_POINTS - from);
    const metrics = Array.from({ length: count }, (_, i) => ({
      name: "loss",
      value: 2 * Math.exp(-(from + i) / 20_000) + 0.01 * Math.random(),
      step: from + i,
    }));
    const started = performance.now();
    const res = await fetch(`${versions}/1/metrics`, {
      method: "POST",
      headers,
      body: JSON.stringify({ metrics }),
    });
    await res.arrayBuffer();
    if (res.status !== 201) throw new Error(`metrics call answered ${res.status}`);
    calls.push(performance.now() - started);
  }
  return calls;
}

export async function seriesPageRows(
  base: string,
  db: Db,
  pipelineSecret: string,
): Promise<BenchRow[]> {
  const calls = await sendSeries(base, pipelineSecret);
  const reviewer = getUserByEmail(db, "reviewer@example.com")!;
  const cookie = await sessionCookie(reviewer);
  const path = "/models/bench-series/versions/1";
  const started = performance.now();
  const res = await fetch(`${base}${path}`, { headers: { cookie } });
  await res.text();
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  const firstMs = Math.round(performance.now() - started);
  const label = `version page (${SERIES_POINTS.toLocaleString("en-US")}-point curve)`;
  const rows = await pageRows(base, cookie, [{ label, paths: [path], targetMs: 1000 }]);
  const slowest = Math.round(Math.max(...calls));
  rows[0]!.note =
    `first open ${firstMs} ms; the ${calls.length} metrics calls of up to ` +
    `${MAX_METRICS_PER_CALL.toLocaleString("en-US")} values took ${slowest} ms at most.`;
  return rows;
}

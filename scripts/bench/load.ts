// One load run with autocannon, after a short warm-up so the JIT and the
// page cache are warm before anything is counted.
import autocannon, { type Request as CannonRequest } from "autocannon";
import { summarizeLoad, type LoadResult, type LoadSummary } from "./report";

/** Seconds per measured run: BENCH_SECONDS (default 10; 2 for a smoke run). */
export const BENCH_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
export const CONNECTIONS = 20;

export async function runLoad(opts: {
  url: string;
  headers?: Record<string, string>;
  method?: "GET" | "POST";
  body?: string;
  /** Called for every request: lets each one name another model or request. */
  nextPath?: () => string;
  seconds?: number;
  /** A fixed number of requests instead of a duration (each uses up a seeded row). */
  amount?: number;
  connections?: number;
  warmup?: boolean;
}): Promise<LoadSummary> {
  const seconds = opts.seconds ?? BENCH_SECONDS;
  const run = (duration: number, amount?: number) =>
    autocannon({
      url: opts.url,
      connections: opts.connections ?? CONNECTIONS,
      duration,
      amount,
      method: opts.method ?? "GET",
      headers: opts.headers,
      body: opts.body,
      requests: opts.nextPath
        ? [{ setupRequest: (req: CannonRequest) => ({ ...req, path: opts.nextPath!() }) }]
        : undefined,
    }) as unknown as Promise<LoadResult>;
  const warmupAmount = opts.amount && Math.max(CONNECTIONS, Math.round(opts.amount / 5));
  if (opts.warmup !== false) await run(Math.max(1, Math.round(seconds / 5)), warmupAmount);
  return summarizeLoad(await run(seconds, opts.amount));
}

/** Runs `fn` back to back for `seconds`; ops/s and per-call latency. */
export function runLoop(fn: (i: number) => void, seconds = BENCH_SECONDS) {
  const samples: number[] = [];
  const end = performance.now() + seconds * 1000;
  let i = 0;
  const started = performance.now();
  while (performance.now() < end) {
    const t = performance.now();
    fn(i++);
    samples.push(performance.now() - t);
  }
  return { rps: i / ((performance.now() - started) / 1000), samples };
}

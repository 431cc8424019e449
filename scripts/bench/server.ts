// The production server as the bench drives it: `next start` on a given
// database file, logging as shipped (info) into a file beside the database.
// BENCH_PROFILE=1 writes a V8 CPU profile of the server into that directory.
import { execSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { waitUntilReady } from "../serve";

export type BenchServer = { base: string; rssMb: () => number | null; stop: () => Promise<void> };

export const BENCH_SECRET = "bench-secret";

export async function startBenchServer(dbFile: string, port: number): Promise<BenchServer> {
  const dir = path.dirname(dbFile);
  const base = `http://localhost:${port}`;
  const log = fs.openSync(path.join(dir, `server-${port}.log`), "a");
  const profile = process.env.BENCH_PROFILE === "1" ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : [];
  const server = spawn(
    process.execPath,
    [...profile, require.resolve("next/dist/bin/next"), "start", "-p", String(port)],
    {
      env: {
        ...process.env,
        NODE_ENV: "production",
        LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? "info",
        DATABASE_URL: dbFile,
        NEXTAUTH_SECRET: BENCH_SECRET,
        NEXTAUTH_URL: base,
      },
      stdio: ["ignore", log, log],
    },
  );
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  await waitUntilReady(base, 90_000);
  return {
    base,
    rssMb: () => rssMb(server.pid),
    stop: async () => {
      server.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      fs.closeSync(log);
    },
  };
}

/** Resident memory of the server (`next start` may run it in a child). */
export function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const out = execSync(`ps -o rss= --ppid ${pid} -p ${pid}`);
    const kb = String(out).trim().split(/\s+/).map(Number);
    return Math.round(Math.max(...kb) / 1024);
  } catch {
    return null;
  }
}

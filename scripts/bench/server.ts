// The production server as the bench drives it: `next start` on a given
// database file, logging as shipped (info) into a file beside the database.
// BENCH_PROFILE=1 writes a V8 CPU profile of the server into that directory.
import { execSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { waitUntilReady } from "../serve";

export type BenchServer = {
  base: string;
  rssMb: () => number | null;
  cpuMs: () => number;
  stop: () => Promise<void>;
};

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
    cpuMs: () => cpuMs(server.pid),
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

/** CPU time the server (and a child `next start` runs it in) has used, in ms. */
export function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  let children: number[] = [];
  try {
    children = String(execSync(`pgrep -P ${pid}`))
      .trim()
      .split(/\s+/)
      .map(Number);
  } catch {
    // no children: the server runs in this process
  }
  let ticks = 0;
  for (const id of [pid, ...children]) {
    try {
      // Fields after the command name: utime and stime are the 12th and 13th.
      const stat = fs.readFileSync(`/proc/${id}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process is gone
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

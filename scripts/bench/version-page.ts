// npx tsx scripts/bench/version-page.ts [POINTS]: starts the production build
// on a fresh database, sends a POINTS-step series (default 100,000) through
// the metrics API in calls of 10,000 values, signs a reviewer in, and prints
// how long each metrics call took and how long the version page takes to
// render (first load and the median of five more). Needs `npx next build`.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateDatabase, openDatabase } from "@/db/client";
import { createToken } from "@/lib/auth/tokens";
import { MAX_METRICS_PER_CALL } from "@/lib/gate/inputs";
import { seedDemoUsers } from "../demo-seed";
import { waitUntilReady } from "../serve";

const points = Number(process.argv[2] ?? 100_000);
const port = process.env.BENCH_PORT ?? "3651";
const base = `http://localhost:${port}`;

/** Signs in through next-auth's credentials flow; returns the Cookie header. */
async function signIn(email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ""] = c.split(";");
      const i = pair.indexOf("=");
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  keep(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const login = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  keep(login);
  return cookie();
}

async function timed(fn: () => Promise<Response>): Promise<{ ms: number; res: Response }> {
  const started = performance.now();
  const res = await fn();
  await res.arrayBuffer();
  return { ms: Math.round(performance.now() - started), res };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mag-bench-"));
  const dbFile = path.join(dir, "approvals.db");
  const { db, sqlite } = openDatabase(dbFile);
  migrateDatabase(db);
  await seedDemoUsers(db);
  const pipeline = createToken(db, { name: "bench", createdBy: "bench" }).secret;
  sqlite.close();

  const server = spawn(
    process.execPath,
    [require.resolve("next/dist/bin/next"), "start", "-p", port],
    {
      env: { ...process.env, DATABASE_URL: dbFile, NEXTAUTH_SECRET: "bench", LOG_LEVEL: "warn" },
      stdio: "ignore",
    },
  );
  try {
    await waitUntilReady(base, 60_000);
    const headers = { authorization: `Bearer ${pipeline}`, "content-type": "application/json" };
    const versions = `${base}/api/v1/models/bench-series/versions`;
    const metric = (name: string, value: number) => ({ name, value });
    await fetch(versions, {
      method: "POST",
      headers,
      body: JSON.stringify({ metrics: [metric("accuracy", 0.9)] }),
    });
    const calls: number[] = [];
    for (let from = 0; from < points; from += MAX_METRICS_PER_CALL) {
      const count = Math.min(MAX_METRICS_PER_CALL, points - from);
      const metrics = Array.from({ length: count }, (_, i) => ({
        name: "loss",
        value: 2 * Math.exp(-(from + i) / 20_000) + 0.01 * Math.random(),
        step: from + i,
      }));
      const body = JSON.stringify({ metrics });
      const { ms, res } = await timed(() =>
        fetch(`${versions}/1/metrics`, { method: "POST", headers, body }),
      );
      if (res.status !== 201) throw new Error(`metrics call answered ${res.status}`);
      calls.push(ms);
    }

    const cookie = await signIn("reviewer@example.com", "reviewer-demo-pass");
    const page = () => fetch(`${base}/models/bench-series/versions/1`, { headers: { cookie } });
    const first = await timed(page);
    if (first.res.status !== 200) throw new Error(`page answered ${first.res.status}`);
    const again: number[] = [];
    for (let i = 0; i < 5; i++) again.push((await timed(page)).ms);
    again.sort((a, b) => a - b);
    console.table([
      {
        points,
        "metrics calls": calls.length,
        "slowest call ms": Math.max(...calls),
        "all calls ms": calls.reduce((a, b) => a + b, 0),
        "page first ms": first.ms,
        "page median ms": again[2],
        "load average": os.loadavg()[0]?.toFixed(1),
      },
    ]);
  } finally {
    server.kill("SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();

// npm run bench:waiters -- [N]: starts the production build on a fresh
// database, parks N pipelines on one gate (GET …/approval?wait=60), records
// a decision, and prints how long the decision took, when the last waiter
// was answered, and the server's memory. Needs `npm run build` first.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { migrateDatabase, openDatabase } from "@/db/client";
import { getUserByEmail } from "@/db/queries/users";
import { createToken } from "@/lib/auth/tokens";
import { seedDemoUsers } from "../demo-seed";
import { waitUntilReady } from "../serve";

const waiters = Number(process.argv[2] ?? 200);
const port = process.env.BENCH_PORT ?? "3650";
const base = `http://localhost:${port}`;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mag-bench-"));
  const dbFile = path.join(dir, "approvals.db");
  const { db, sqlite } = openDatabase(dbFile);
  migrateDatabase(db);
  await seedDemoUsers(db);
  const reviewer = getUserByEmail(db, "reviewer@example.com");
  const pipeline = createToken(db, { name: "bench", createdBy: "bench" }).secret;
  const decider = createToken(db, {
    name: "bench-decider",
    scopes: ["read", "decide"],
    ownerUserId: reviewer?.id ?? null,
    createdBy: "bench",
  }).secret;
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
    await fetch(`${base}/api/v1/models/bench/versions`, { method: "POST", headers, body: "{}" });
    const asked = await fetch(`${base}/api/v1/models/bench/versions/1/approval`, {
      method: "POST",
      headers,
      body: "{}",
    });
    const { request_id: requestId } = (await asked.json()) as { request_id: number };

    const answered: number[] = [];
    const polls = Array.from({ length: waiters }, async () => {
      const res = await fetch(`${base}/api/v1/models/bench/versions/1/approval?wait=60`, {
        headers,
      });
      const body = (await res.json()) as { status: string };
      answered.push(performance.now());
      return body.status;
    });
    await sleep(Math.max(2000, waiters * 8)); // let every poll reach the server
    const rssWaiting = rss(server.pid);
    const started = performance.now();
    const decision = await fetch(`${base}/api/v1/requests/${requestId}/decisions`, {
      method: "POST",
      headers: { authorization: `Bearer ${decider}`, "content-type": "application/json" },
      body: JSON.stringify({ decision: "approve" }),
    });
    const decisionMs = performance.now() - started;
    const statuses = await Promise.all(polls);
    const last = Math.max(...answered) - started;
    console.table([
      {
        waiters,
        "decision status": decision.status,
        "decision ms": Math.round(decisionMs),
        "approved answers": statuses.filter((s) => s === "approved").length,
        "last answer ms after decision": Math.round(last),
        "server RSS MB while waiting": rssWaiting,
      },
    ]);
  } finally {
    server.kill("SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function rss(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    // `next start` runs the server in this process or a child it renames.
    const out = require("node:child_process").execSync(`ps -o rss= --ppid ${pid} -p ${pid}`);
    const kb = String(out).trim().split(/\s+/).map(Number);
    return Math.round(Math.max(...kb) / 1024);
  } catch {
    return null;
  }
}

void main();

// Row 3 of `npm run bench`: N pipelines long-polling one gate. Parks N
// waiters (GET …/approval?wait=60), records a decision, and measures the time
// from the decision's answer to the last waiter answered, and the memory the
// waiting held. Run alone: `npm run bench:waiters -- [N]` (after a build).
import "./quiet";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { migrateDatabase, openDatabase } from "@/db/client";
import { seedDemoUsers } from "../demo-seed";
import { issueTokens, type Tokens } from "./api-rows";
import type { BenchRow } from "./report";
import { startBenchServer } from "./server";

export type WaiterResult = {
  waiters: number;
  approved: number;
  decisionStatus: number;
  decisionMs: number;
  lastAnswerMs: number;
  rssIdleMb: number | null;
  rssWaitingMb: number | null;
};

export async function measureWaiters(
  base: string,
  tokens: Tokens,
  waiters: number,
  server: { rssMb: () => number | null; cpuMs: () => number },
  model = "waiters",
): Promise<WaiterResult> {
  const headers = {
    authorization: `Bearer ${tokens.pipeline}`,
    "content-type": "application/json",
  };
  // Node's fetch opens a connection per concurrent call, as separate CI jobs would.
  const call = (url: string, init: RequestInit = {}) => fetch(url, init);
  await call(`${base}/api/v1/models/${model}/versions`, {
    method: "POST",
    headers,
    body: JSON.stringify({ metrics: [{ name: "accuracy", value: 0.9 }] }),
  });
  const asked = await call(`${base}/api/v1/models/${model}/versions/1/approval`, {
    method: "POST",
    headers,
    body: "{}",
  });
  const { request_id: requestId } = (await asked.json()) as { request_id: number };
  const rssIdleMb = server.rssMb();

  const answered: number[] = [];
  const polls = Array.from({ length: waiters }, async () => {
    const res = await call(`${base}/api/v1/models/${model}/versions/1/approval?wait=60`, {
      headers,
    });
    const body = (await res.json()) as { status: string };
    answered.push(performance.now());
    return body.status;
  });
  await untilParked(server.cpuMs);
  const rssWaitingMb = server.rssMb();
  const started = performance.now();
  const decision = await call(`${base}/api/v1/requests/${requestId}/decisions`, {
    method: "POST",
    headers: { ...headers, authorization: `Bearer ${tokens.reviewer}` },
    body: JSON.stringify({ decision: "approve" }),
  });
  const decisionMs = performance.now() - started;
  const statuses = await Promise.all(polls);
  return {
    waiters,
    approved: statuses.filter((s) => s === "approved").length,
    decisionStatus: decision.status,
    decisionMs,
    lastAnswerMs: Math.max(...answered) - started,
    rssIdleMb,
    rssWaitingMb,
  };
}

/**
 * Waits until every poll has reached the server and parked: its CPU use
 * falls quiet. A decision made while polls still arrive would be measured
 * queueing behind them (on a busy machine parking 1,000 takes seconds).
 */
async function untilParked(cpuMs: () => number): Promise<void> {
  await sleep(2000);
  const deadline = Date.now() + 120_000;
  let before = cpuMs();
  while (Date.now() < deadline) {
    await sleep(500);
    const now = cpuMs();
    if (now - before <= 50) return; // under 10 % of a core over half a second
    before = now;
  }
}

export function waiterRows(r: WaiterResult): BenchRow[] {
  const held =
    r.rssIdleMb !== null && r.rssWaitingMb !== null ? r.rssWaitingMb - r.rssIdleMb : Number.NaN;
  return [
    {
      row: `3. ${r.waiters} waiters: decision to last answer`,
      measured: r.lastAnswerMs,
      unit: "ms",
      target: { on: "measured", op: "<=", value: 1000 },
      note:
        `${r.approved}/${r.waiters} answered "approved"; the decision itself answered ` +
        `${r.decisionStatus} in ${Math.round(r.decisionMs)} ms.`,
    },
    {
      row: `3. ${r.waiters} waiters: memory held`,
      measured: held,
      unit: "MB",
      note: `server RSS ${r.rssIdleMb} MB before the polls, ${r.rssWaitingMb} MB while they wait.`,
    },
  ];
}

async function main() {
  const waiters = Number(process.argv[2] ?? 1000);
  const port = Number(process.env.BENCH_PORT ?? 3650);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mag-bench-"));
  const dbFile = path.join(dir, "approvals.db");
  const { db, sqlite } = openDatabase(dbFile);
  migrateDatabase(db);
  await seedDemoUsers(db);
  const tokens = issueTokens(db);
  sqlite.close();
  const server = await startBenchServer(dbFile, port);
  try {
    const result = await measureWaiters(server.base, tokens, waiters, server);
    console.table([result]);
  } finally {
    await server.stop();
    if (process.env.BENCH_PROFILE === "1") process.stderr.write(`profile kept in ${dir}\n`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void main();

// npm run bench: builds, then measures the production server against the
// limits of this machine and prints one table (Markdown). Rows 1-3 and 5 run
// on a fresh SQLite file; row 4 on a copy of the large seeded file (cached in
// data/bench/). Env: BENCH_SECONDS (per run, default 10), BENCH_WAITERS
// (default 1000), BENCH_PORT (default 3650; row 4 uses the next port),
// BENCH_PROFILE=1 (CPU profiles of the servers beside the database files),
// BENCH_ONLY=api|pages (one half only), BENCH_ROWS=1,2,3,4,5 (rows to run on
// the fresh file; 4 there is the 100,000-point version page).
import "./quiet";
import { execSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { migrateDatabase, openDatabase } from "@/db/client";
import { getUserByEmail } from "@/db/queries/users";
import { seedDemoUsers } from "../demo-seed";
import {
  decisionRows,
  issueTokens,
  measureCeiling,
  registrationRows,
  statusRows,
} from "./api-rows";
import { BENCH_SECONDS } from "./load";
import { pageRows, sessionCookie, type PageTarget } from "./pages";
import { renderNotes, renderTable, type BenchRow } from "./report";
import { cachedLargeDb, LARGE } from "./seed-large";
import { startBenchServer } from "./server";
import { seriesPageRows, SERIES_POINTS } from "./version-page";
import { measureWaiters, waiterRows } from "./waiters";

const port = Number(process.env.BENCH_PORT ?? 3650);
const waiters = Number(process.env.BENCH_WAITERS ?? 1000);
/** BENCH_ROWS=1,3 runs only those rows of the fresh file (profiling one at a time). */
const want = (row: string) => (process.env.BENCH_ROWS ?? "1,2,3,4,5").split(",").includes(row);

function machine(): string {
  const cpu = /model name\s*:\s*(.+)/.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1];
  const gb = (os.totalmem() / 1024 ** 3).toFixed(1);
  let cores = String(os.availableParallelism());
  try {
    cores = execSync("nproc").toString().trim();
  } catch {
    // nproc is missing on some systems; Node's count is close enough
  }
  return `${cores} cores (nproc), ${cpu ?? "unknown CPU"}, ${gb} GB RAM, Node ${process.version}`;
}

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

async function apiRows(dir: string): Promise<BenchRow[]> {
  const dbFile = path.join(dir, "fresh.db");
  const { db, sqlite } = openDatabase(dbFile);
  migrateDatabase(db);
  await seedDemoUsers(db);
  const tokens = issueTokens(db);
  const server = await startBenchServer(dbFile, port);
  try {
    log("constant route (the framework's ceiling)");
    const ceiling = await measureCeiling(server.base);
    const rows: BenchRow[] = [];
    if (want("1")) {
      log("1. registration");
      rows.push(...(await registrationRows(server.base, sqlite, tokens, ceiling)));
    }
    if (want("2")) {
      log("2. gate status");
      rows.push(...(await statusRows(server.base, db, sqlite, tokens, ceiling)));
    }
    if (want("5")) {
      log("5. decisions");
      rows.push(...(await decisionRows(server.base, db, sqlite, tokens)));
    }
    if (want("3")) {
      log(`3. ${waiters} waiters`);
      const w = await measureWaiters(server.base, tokens, waiters, server);
      rows.push(...waiterRows(w));
    }
    if (want("4")) {
      log(`4. version page with a ${SERIES_POINTS}-point curve`);
      rows.push(...(await seriesPageRows(server.base, db, tokens.pipeline)));
    }
    rows.push({
      row: "ceiling: constant route req/s",
      measured: ceiling.rps,
      unit: "req/s",
      note: `GET /api/health/live, p50 ${ceiling.p50} ms, p99 ${ceiling.p99} ms.`,
    });
    return rows;
  } finally {
    await server.stop();
    sqlite.close();
  }
}

function pageTargets(file: string): PageTarget[] {
  const db = new Database(file, { readonly: true });
  const pick = <T>(sql: string) => db.prepare(sql).all() as T[];
  const typical = pick<{ name: string }>(
    "SELECT name FROM registered_models WHERE name != 'big-model' ORDER BY id % 97, id LIMIT 50",
  ).map((m) => `/models/${m.name}`);
  const pending = pick<{ name: string; number: number }>(
    `SELECT m.name, v.number FROM approval_requests r
       JOIN model_versions v ON v.id = r.version_id JOIN registered_models m ON m.id = v.model_id
     WHERE r.status = 'pending_review' ORDER BY r.id % 89, r.id LIMIT 50`,
  ).map((v) => `/models/${v.name}/versions/${v.number}`);
  const curves = pick<{ name: string; number: number }>(
    `SELECT m.name, v.number FROM model_versions v JOIN registered_models m ON m.id = v.model_id
     WHERE v.id % ${LARGE.curveEvery} = 0 ORDER BY v.id % 13, v.id LIMIT 20`,
  ).map((v) => `/models/${v.name}/versions/${v.number}`);
  db.close();
  return [
    { label: "queue /", paths: ["/"] },
    { label: "version page (open request)", paths: pending },
    { label: "version page (2 curves × 400 steps)", paths: curves },
    { label: "model page (10 versions)", paths: typical },
    { label: `model page (${LARGE.bigModelVersions} versions)`, paths: ["/models/big-model"] },
  ];
}

async function largeRows(dir: string): Promise<BenchRow[]> {
  const { file, seededSeconds } = await cachedLargeDb();
  log(
    seededSeconds === null
      ? `4. large database from cache ${file}`
      : `4. large database seeded in ${seededSeconds.toFixed(1)} s`,
  );
  const dbFile = path.join(dir, "large.db");
  fs.copyFileSync(file, dbFile);
  const { db, sqlite } = openDatabase(dbFile);
  migrateDatabase(db);
  const reviewer = getUserByEmail(db, "reviewer@example.com")!;
  sqlite.close();
  const targets = pageTargets(dbFile);
  const server = await startBenchServer(dbFile, port + 1);
  try {
    const cookie = await sessionCookie(reviewer);
    const rows = await pageRows(server.base, cookie, targets);
    if (seededSeconds !== null && rows[0]) {
      rows[0].note = `database seeded in ${seededSeconds.toFixed(1)} s (cached for later runs).`;
    }
    return rows;
  } finally {
    await server.stop();
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mag-bench-"));
  const keep = process.env.BENCH_PROFILE === "1";
  try {
    const only = process.env.BENCH_ONLY;
    const rows = [
      ...(only === "pages" ? [] : await apiRows(dir)),
      ...(only === "api" ? [] : await largeRows(dir)),
    ];
    const out = [
      `Machine: ${machine()}`,
      `Command: BENCH_SECONDS=${BENCH_SECONDS} npm run bench (${new Date().toISOString()})`,
      "",
      renderTable(rows),
      "",
      renderNotes(rows),
    ].join("\n");
    process.stdout.write(`${out}\n`);
    if (keep) log(`profiles and server logs kept in ${dir}`);
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

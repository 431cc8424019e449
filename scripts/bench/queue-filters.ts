// The queue's data layer at 10,000 models and 100,000 requests, in process:
// milliseconds per page for each kind of filter, and for the navigation
// counts, with 6,667 requests pending review and 3,333 awaiting metrics.
// `npx tsx scripts/bench/queue-filters.ts` (seeds data/bench/queue-filters.db once).
import fs from "node:fs";
import { migrateDatabase, openDatabase } from "@/db/client";
import { getUserByEmail, insertUser } from "@/db/queries/users";
import { notifyRequestChanged } from "@/lib/gate/request-events";
import { DEFAULT_FILTERS, type QueueFilters } from "@/lib/queue/filters";
import { getQueueCounts, getQueuePage } from "@/lib/views/queue";

const FILE = "data/bench/queue-filters.db";
const MODELS = 10_000;
const VERSIONS_PER_MODEL = 10;

function seed() {
  const { db, sqlite } = openDatabase(FILE);
  migrateDatabase(db);
  if (getUserByEmail(db, "bench-reviewer@example.com")) return { db, sqlite };
  insertUser(db, {
    email: "bench-reviewer@example.com",
    name: "Bench Reviewer",
    role: "reviewer",
    passwordHash: "-",
  });
  const model = sqlite.prepare(
    "INSERT INTO registered_models (name, created_at, updated_at) VALUES (?, ?, ?)",
  );
  const version = sqlite.prepare(
    "INSERT INTO model_versions (model_id, number, params, tags, created_at, updated_at) " +
      "VALUES (?, ?, '{}', '{}', ?, ?)",
  );
  const metric = sqlite.prepare(
    "INSERT INTO metrics (version_id, name, value, created_at) VALUES (?, ?, ?, ?)",
  );
  const request = sqlite.prepare(
    "INSERT INTO approval_requests (version_id, environment_id, status, created_at, updated_at) " +
      "VALUES (?, 2, ?, ?, ?)",
  );
  let t = Date.UTC(2026, 0, 1);
  sqlite.transaction(() => {
    for (let m = 1; m <= MODELS; m++) {
      const modelId = model.run(`model-${m}`, t, t).lastInsertRowid;
      for (let n = 1; n <= VERSIONS_PER_MODEL; n++) {
        t += 1000;
        const versionId = version.run(modelId, n, t, t).lastInsertRowid;
        metric.run(versionId, "accuracy", 0.9, t);
        metric.run(versionId, "auc", 0.95, t);
        // The newest version of each model is open; older ones were decided or superseded.
        const status =
          n === VERSIONS_PER_MODEL
            ? m % 3 === 0
              ? "awaiting_metrics"
              : "pending_review"
            : n % 4 === 0
              ? "rejected"
              : "superseded";
        request.run(versionId, status, t, t);
      }
    }
  })();
  sqlite.exec("ANALYZE");
  return { db, sqlite };
}

function main() {
  fs.mkdirSync("data/bench", { recursive: true });
  const { db, sqlite } = seed();
  const user = getUserByEmail(db, "bench-reviewer@example.com");
  if (!user) throw new Error("bench reviewer missing");
  const page = (f: Partial<QueueFilters>) => () =>
    getQueuePage(db, user, { ...DEFAULT_FILTERS, ...f });
  const deep = (() => {
    let p = page({ status: "all" })();
    for (let i = 0; i < 100 && p.next; i++) p = page({ status: "all", cursor: p.next })();
    return p.next;
  })();
  const cases: [string, () => unknown][] = [
    ["navigation counts, remembered", () => getQueueCounts(db, user)],
    [
      "navigation counts after a change",
      () => {
        // Any request change makes every remembered count stale.
        notifyRequestChanged(0);
        return getQueueCounts(db, user);
      },
    ],
    ["open, oldest first", page({})],
    ["open, newest first", page({ sort: "newest" })],
    ["waiting for me", page({ mine: true })],
    ["all statuses", page({ status: "all" })],
    ["all statuses, page 101", page({ status: "all", cursor: deep })],
    ["any final status", page({ status: "final" })],
    ["rejected, newest first", page({ status: "rejected", sort: "newest" })],
    ["model contains 'model-99'", page({ model: "model-99" })],
    ["model contains 'zzz', all", page({ model: "zzz", status: "all" })],
    ["submitter contains 'pipeline'", page({ submitter: "pipeline" })],
  ];
  const rounds = 30;
  for (const [label, run] of cases) {
    run();
    const started = performance.now();
    for (let i = 0; i < rounds; i++) run();
    const ms = (performance.now() - started) / rounds;
    process.stdout.write(`${label.padEnd(32)} ${ms.toFixed(2).padStart(8)} ms\n`);
  }
  sqlite.close();
}

main();

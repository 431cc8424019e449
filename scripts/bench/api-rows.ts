// Rows 1, 2 and 5 of `npm run bench`: registration, gate status reads and
// decisions through the HTTP API, each beside the same rows written or read
// through better-sqlite3 directly (the storage limit) in the same run, and
// a constant route (the framework's ceiling on this machine).
import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import type { Db } from "@/db/client";
import { getUserByEmail } from "@/db/queries/users";
import { actorFromBearer, createToken } from "@/lib/auth/tokens";
import type { Actor } from "@/lib/gate/actor";
import { decideRequest } from "@/lib/gate/decide";
import { requestApproval } from "@/lib/gate/requests";
import { registerVersion } from "@/lib/gate/versions";
import { hashTokenSecret } from "@/lib/auth/token-secrets";
import { BENCH_SECONDS, CONNECTIONS, runLoad, runLoop } from "./load";
import { timingSummary, type BenchRow, type LoadSummary } from "./report";

export const METRICS_PER_VERSION = 20;

export const registrationBody = JSON.stringify({
  run_id: "bench-run",
  commit: "0123456789abcdef",
  params: { lr: 0.01, depth: 6 },
  tags: { team: "bench" },
  metrics: Array.from({ length: METRICS_PER_VERSION }, (_, i) => ({
    name: `metric_${String(i).padStart(2, "0")}`,
    value: Math.round(Math.random() * 1000) / 1000,
  })),
});

export type Tokens = { pipeline: string; reviewer: string };

export function issueTokens(db: Db): Tokens {
  const reviewer = getUserByEmail(db, "reviewer@example.com");
  return {
    pipeline: createToken(db, { name: "bench", createdBy: "bench" }).secret,
    reviewer: createToken(db, {
      name: "bench-reviewer",
      scopes: ["read", "decide"],
      ownerUserId: reviewer?.id ?? null,
      createdBy: "bench",
    }).secret,
  };
}

const bearer = (secret: string) => ({
  authorization: `Bearer ${secret}`,
  "content-type": "application/json",
});

/** The framework's ceiling: a route that answers a constant, no database. */
export function measureCeiling(base: string): Promise<LoadSummary> {
  return runLoad({ url: `${base}/api/health/live` });
}

/**
 * The rows one registration writes (model lookup, next number, version, 20
 * metrics, chained audit event), in one immediate transaction, by hand.
 */
function directRegistration(sqlite: Database.Database, tokenId: number) {
  const body = JSON.parse(registrationBody) as { metrics: { name: string; value: number }[] };
  const model = sqlite.prepare("SELECT id FROM registered_models WHERE name = ?");
  const addModel = sqlite.prepare(
    "INSERT INTO registered_models (name, created_at, updated_at) VALUES (?, ?, ?) RETURNING id",
  );
  const next = sqlite.prepare(
    "SELECT coalesce(max(number), 0) + 1 AS n FROM model_versions WHERE model_id = ?",
  );
  const version = sqlite.prepare(
    `INSERT INTO model_versions (model_id, number, run_id, commit_sha, params, tags,
       submitted_by_token_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     RETURNING id`,
  );
  const existing = sqlite.prepare("SELECT id, name, step, split FROM metrics WHERE version_id = ?");
  const metric = sqlite.prepare(
    "INSERT INTO metrics (version_id, name, value, step, split, created_at) VALUES (?, ?, ?, NULL, NULL, ?)",
  );
  const last = sqlite.prepare("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1");
  const audit = sqlite.prepare(
    `INSERT INTO audit_events (actor_type, actor_id, actor_name, action, subject_type,
       subject_id, model_id, summary, details, prev_hash, hash, created_at)
     VALUES ('token', ?, 'bench', 'version.registered', 'version', ?, ?, ?, NULL, ?, ?, ?)`,
  );
  return sqlite.transaction((i: number) => {
    const at = Date.now();
    const name = `direct-${i % CONNECTIONS}`;
    const modelId =
      (model.get(name) as { id: number } | undefined)?.id ??
      (addModel.get(name, at, at) as { id: number }).id;
    const n = (next.get(modelId) as { n: number }).n;
    const { id } = version.get(modelId, n, "bench-run", "0123", "{}", "{}", tokenId, at, at) as {
      id: number;
    };
    existing.all(id);
    for (const m of body.metrics) metric.run(id, m.name, m.value, at);
    const prev = (last.get() as { hash: string } | undefined)?.hash ?? "0".repeat(64);
    const summary = `registered ${name} v${n} with ${body.metrics.length} metrics`;
    const hash = createHash("sha256").update(prev).update(summary).digest("hex");
    audit.run(tokenId, id, modelId, summary, prev, hash, at);
  }).immediate;
}

export async function registrationRows(
  base: string,
  sqlite: Database.Database,
  tokens: Tokens,
  ceiling: LoadSummary,
): Promise<BenchRow[]> {
  let i = 0;
  const http = await runLoad({
    url: `${base}/api/v1/models/bench-0/versions`,
    method: "POST",
    headers: bearer(tokens.pipeline),
    body: registrationBody,
    // One model per pipeline, as 20 pipelines would register.
    nextPath: () => `/api/v1/models/bench-${i++ % CONNECTIONS}/versions`,
  });
  const tokenId = tokenIdOf(sqlite, tokens.pipeline);
  const write = directRegistration(sqlite, tokenId);
  const direct = runLoop((n) => write(n));
  const d = timingSummary(direct.samples);
  const errors = http.errors > 0 ? ` ${http.errors} requests failed.` : "";
  return [
    {
      row: "1. register (20 metrics, 20 clients) req/s",
      measured: http.rps,
      unit: "req/s",
      reference: { label: "constant route", value: ceiling.rps },
      target: { on: "ratio", op: ">=", value: 0.5 },
      note: `same rows through better-sqlite3 directly: ${Math.round(direct.rps)} versions/s (${ratioText(http.rps, direct.rps)} of it).${errors}`,
    },
    {
      row: "1. register p50",
      measured: http.p50,
      unit: "ms",
      reference: { label: "constant route", value: ceiling.p50 },
      note: `better-sqlite3 directly: p50 ${d.p50.toFixed(2)} ms, p99 ${d.p99.toFixed(2)} ms per version (one writer)`,
    },
    {
      row: "1. register p99",
      measured: http.p99,
      unit: "ms",
      reference: { label: "constant route", value: ceiling.p99 },
    },
    {
      row: "1. register vs better-sqlite3",
      measured: http.rps,
      unit: "req/s",
      reference: { label: "better-sqlite3", value: direct.rps },
    },
  ];
}

function ratioText(a: number, b: number): string {
  return b > 0 ? `${Math.round((a / b) * 100)} %` : "n/a";
}

function tokenIdOf(sqlite: Database.Database, secret: string): number {
  const row = sqlite
    .prepare("SELECT id FROM api_tokens WHERE secret_hash = ?")
    .get(hashTokenSecret(secret)) as { id: number };
  return row.id;
}

/** The reads one status answer needs, by hand. */
function directStatus(sqlite: Database.Database, secret: string) {
  const token = sqlite.prepare("SELECT * FROM api_tokens WHERE secret_hash = ?");
  const model = sqlite.prepare("SELECT * FROM registered_models WHERE name = ?");
  const version = sqlite.prepare("SELECT * FROM model_versions WHERE model_id = ? AND number = ?");
  const env = sqlite.prepare("SELECT * FROM environments WHERE name = ?");
  const request = sqlite.prepare(
    "SELECT * FROM approval_requests WHERE version_id = ? AND environment_id = ? ORDER BY id DESC LIMIT 1",
  );
  const decisions = sqlite.prepare(
    `SELECT d.*, u.name FROM decisions d LEFT JOIN users u ON u.id = d.user_id
     WHERE d.request_id = ? ORDER BY d.id`,
  );
  const metrics = sqlite.prepare(
    "SELECT * FROM metrics WHERE version_id = ? ORDER BY name, step, id",
  );
  const hash = hashTokenSecret(secret);
  return () => {
    token.get(hash);
    const m = model.get("status-bench") as { id: number };
    const v = version.get(m.id, 1) as { id: number };
    const e = env.get("production") as { id: number };
    const r = request.get(v.id, e.id) as { id: number };
    decisions.all(r.id);
    metrics.all(v.id);
  };
}

export async function statusRows(
  base: string,
  db: Db,
  sqlite: Database.Database,
  tokens: Tokens,
  ceiling: LoadSummary,
): Promise<BenchRow[]> {
  const actor = actorFromBearer(db, tokens.pipeline);
  registerVersion(db, actor, "status-bench", JSON.parse(registrationBody));
  requestApproval(db, actor, "status-bench", 1, {});
  const http = await runLoad({
    url: `${base}/api/v1/models/status-bench/versions/1/approval`,
    headers: bearer(tokens.pipeline),
  });
  const direct = runLoop(directStatus(sqlite, tokens.pipeline));
  const errors = http.errors > 0 ? ` ${http.errors} requests failed.` : "";
  return [
    {
      row: "2. gate status req/s",
      measured: http.rps,
      unit: "req/s",
      reference: { label: "constant route", value: ceiling.rps },
      note: `the same reads through better-sqlite3 directly: ${Math.round(direct.rps)}/s (${ratioText(http.rps, direct.rps)} of it).${errors}`,
    },
    {
      row: "2. gate status p99",
      measured: http.p99,
      unit: "ms",
      reference: { label: "constant route", value: ceiling.p99 },
    },
  ];
}

/**
 * Open requests to decide: one model each (a newer version's request would
 * supersede an older one of the same model). Written with synchronous=OFF on
 * this set-up connection only; the server keeps the shipped FULL.
 */
export function seedOpenRequests(
  db: Db,
  sqlite: Database.Database,
  actor: Actor,
  n: number,
  prefix: string,
) {
  sqlite.pragma("synchronous = OFF");
  const ids: number[] = [];
  const body = { metrics: [{ name: "accuracy", value: 0.9 }] };
  for (let i = 0; i < n; i++) {
    registerVersion(db, actor, `${prefix}-${i}`, body);
    ids.push(requestApproval(db, actor, `${prefix}-${i}`, 1, {}).request.id);
  }
  sqlite.pragma("synchronous = FULL");
  return ids;
}

/** Decisions per measured run: each one needs its own open request, seeded first. */
export const DECISIONS = Number(process.env.BENCH_DECISIONS ?? Math.max(400, BENCH_SECONDS * 200));

export async function decisionRows(
  base: string,
  db: Db,
  sqlite: Database.Database,
  tokens: Tokens,
): Promise<BenchRow[]> {
  const actor = actorFromBearer(db, tokens.pipeline);
  const warmup = Math.max(CONNECTIONS, Math.round(DECISIONS / 5));
  const seedStart = performance.now();
  const httpIds = seedOpenRequests(db, sqlite, actor, DECISIONS + warmup, "decide-http");
  const directIds = seedOpenRequests(db, sqlite, actor, DECISIONS, "decide-direct");
  const seeded = (performance.now() - seedStart) / 1000;
  let next = 0;
  const http = await runLoad({
    url: `${base}/api/v1/requests/${httpIds[0]}/decisions`,
    method: "POST",
    headers: bearer(tokens.reviewer),
    body: JSON.stringify({ decision: "approve" }),
    amount: DECISIONS,
    nextPath: () => `/api/v1/requests/${httpIds[next++ % httpIds.length]}/decisions`,
  });
  const reviewer = actorFromBearer(db, tokens.reviewer);
  const approve = { decision: "approve" };
  const started = performance.now();
  for (const id of directIds) decideRequest(db, reviewer, id, approve);
  const directRps = directIds.length / ((performance.now() - started) / 1000);
  return [
    {
      row: "5. decisions/s (HTTP, synchronous=FULL)",
      measured: http.rps,
      unit: "dec/s",
      reference: { label: "lib/gate/decide.ts in-process", value: directRps },
      note:
        `${DECISIONS} decisions at ${CONNECTIONS} clients, p50 ${http.p50} ms, p99 ${http.p99} ms; ` +
        `${httpIds.length + directIds.length} open requests seeded first in ${seeded.toFixed(1)} s.` +
        (http.errors > 0 ? ` ${http.errors} requests failed.` : ""),
    },
  ];
}

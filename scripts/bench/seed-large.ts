// Row 4's database: 10,000 models, 100,000 versions and 2,000,000 metric
// values, with the requests, decisions, deployments and audit history a
// busy installation has, written through prepared statements in large
// transactions. The result is cached in data/bench/ under a key made of the
// migrations and this seed's shape, and copied for each run (the server
// writes to it). `npx tsx scripts/bench/seed-large.ts` seeds on its own.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { migrateDatabase, openDatabase } from "@/db/client";
import { getUserByEmail } from "@/db/queries/users";
import { seedDemoUsers } from "../demo-seed";

export const LARGE = {
  models: 10_000,
  versions: 100_000,
  /** The biggest model: what its page looks like after years of nightly runs. */
  bigModelVersions: 1_000,
  summaryMetrics: 12,
  /** Every 100th version logs two learning curves of 400 steps: 0.8 M of the 2 M values. */
  curveEvery: 100,
  curveSteps: 400,
  /** Newest versions of this many models wait for review in production. */
  pending: 2_000,
  awaitingMetrics: 300,
} as const;

const SEED_SHAPE = 1; // bump when the seed's content changes
const SUMMARY = ["accuracy", "precision", "recall", "f1", "roc_auc", "log_loss"];
const EXTRA = ["latency_ms", "size_mb", "train_seconds", "ece", "brier", "coverage"];
const DAY = 86_400_000;

export function largeDbKey(): string {
  const dir = path.join(process.cwd(), "db", "migrations");
  const hash = createHash("sha256").update(JSON.stringify({ LARGE, SEED_SHAPE }));
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort())
    hash.update(fs.readFileSync(path.join(dir, file)));
  return hash.digest("hex").slice(0, 12);
}

/** The cached seeded file, made first if missing; returns its path and seed time. */
export async function cachedLargeDb(): Promise<{ file: string; seededSeconds: number | null }> {
  const dir = path.join(process.cwd(), "data", "bench");
  const file = path.join(dir, `large-${largeDbKey()}.db`);
  if (fs.existsSync(file)) return { file, seededSeconds: null };
  fs.mkdirSync(dir, { recursive: true });
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true });
  const started = performance.now();
  await seedLargeDb(partial);
  fs.renameSync(partial, file);
  return { file, seededSeconds: (performance.now() - started) / 1000 };
}

/** A deterministic pseudo-random stream, so every seeded file is alike. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function versionsPerModel(): number[] {
  const rest = LARGE.versions - LARGE.bigModelVersions;
  const others = LARGE.models - 1;
  const per = Array.from(
    { length: others },
    (_, i) => Math.floor(rest / others) + (i < rest % others ? 1 : 0),
  );
  return [LARGE.bigModelVersions, ...per];
}

export async function seedLargeDb(file: string): Promise<void> {
  const { db, sqlite } = openDatabase(file);
  migrateDatabase(db);
  await seedDemoUsers(db);
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("journal_mode = MEMORY");
  const reviewer = getUserByEmail(db, "reviewer@example.com")!;
  const lead = getUserByEmail(db, "lead@example.com")!;
  const env = Object.fromEntries(
    (
      sqlite.prepare("SELECT id, name FROM environments").all() as { id: number; name: string }[]
    ).map((e) => [e.name, e.id]),
  ) as Record<"staging" | "production", number>;
  const token = sqlite
    .prepare(
      `INSERT INTO api_tokens (name, display_prefix, secret_hash, scopes, kind)
       VALUES ('nightly', 'mag_seed', ?, '["read","register","request","deploy"]', 'pipeline')
       RETURNING id`,
    )
    .get(createHash("sha256").update("seeded-token-without-secret").digest("hex")) as {
    id: number;
  };

  const q = {
    model: sqlite.prepare(
      "INSERT INTO registered_models (name, description, created_at, updated_at) VALUES (?, ?, ?, ?)",
    ),
    version: sqlite.prepare(
      `INSERT INTO model_versions (model_id, number, source_uri, run_id, commit_sha, params, tags,
         submitted_by_token_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    metric: sqlite.prepare(
      "INSERT INTO metrics (version_id, name, value, step, split, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    ),
    request: sqlite.prepare(
      `INSERT INTO approval_requests (version_id, environment_id, status, reason, requested_by_token_id,
         finalized_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    decision: sqlite.prepare(
      "INSERT INTO decisions (request_id, user_id, decision, comment, created_at) VALUES (?, ?, ?, ?, ?)",
    ),
    deployment: sqlite.prepare(
      `INSERT INTO deployments (version_id, environment_id, request_id, deployed_by_token_id, created_at)
       VALUES (?, ?, ?, ?, ?)`,
    ),
    audit: sqlite.prepare(
      `INSERT INTO audit_events (actor_type, actor_id, actor_name, action, subject_type, subject_id,
         model_id, summary, details, prev_hash, hash, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
    ),
  };
  let prevHash =
    (
      sqlite.prepare("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1").get() as
        { hash: string } | undefined
    )?.hash ?? "0".repeat(64);
  const audit = (
    actor: { type: string; id: number | null; name: string },
    action: string,
    subject: [string, number],
    modelId: number,
    summary: string,
    at: number,
  ) => {
    const hash = createHash("sha256")
      .update(prevHash)
      .update(
        JSON.stringify([
          actor.type,
          actor.id,
          actor.name,
          action,
          ...subject,
          modelId,
          summary,
          null,
          at,
        ]),
      )
      .digest("hex");
    q.audit.run(
      actor.type,
      actor.id,
      actor.name,
      action,
      ...subject,
      modelId,
      summary,
      prevHash,
      hash,
      at,
    );
    prevHash = hash;
  };
  const pipeline = { type: "token", id: token.id, name: "nightly" };
  const rnd = random(7);
  const perModel = versionsPerModel();
  const start = Date.now() - 400 * DAY;
  const openFrom = LARGE.models - LARGE.pending - LARGE.awaitingMetrics;

  const seedModel = sqlite.transaction((m: number) => {
    const name = m === 0 ? "big-model" : `model-${String(m).padStart(5, "0")}`;
    const created = start + Math.floor(rnd() * 30 * DAY);
    const modelId = Number(
      q.model.run(name, `Seeded model ${m}`, created, created).lastInsertRowid,
    );
    audit(pipeline, "model.created", ["model", modelId], modelId, `created model ${name}`, created);
    const count = perModel[m]!;
    const step = Math.floor((360 * DAY) / count);
    let live: { versionId: number; requestId: number } | null = null;
    for (let n = 1; n <= count; n++) {
      const at = created + n * step;
      const versionId = Number(
        q.version.run(
          modelId,
          n,
          `s3://models/${name}/${n}/model.pkl`,
          `run-${m}-${n}`,
          createHash("sha1").update(`${m}-${n}`).digest("hex"),
          JSON.stringify({ lr: 0.01, depth: 4 + (n % 6), estimators: 100 + n }),
          JSON.stringify({ team: `team-${m % 40}` }),
          token.id,
          at,
          at,
        ).lastInsertRowid,
      );
      const quality = 0.8 + rnd() * 0.19;
      for (const metric of SUMMARY)
        q.metric.run(versionId, metric, quality + (rnd() - 0.5) * 0.02, null, "test", at);
      for (const metric of EXTRA) q.metric.run(versionId, metric, rnd() * 100, null, null, at);
      if (versionId % LARGE.curveEvery === 0) {
        for (let s = 0; s < LARGE.curveSteps; s++) {
          q.metric.run(versionId, "train_loss", 2 / (1 + s / 20) + rnd() * 0.05, s, "train", at);
          q.metric.run(versionId, "val_loss", 2.1 / (1 + s / 25) + rnd() * 0.08, s, "val", at);
        }
      }
      audit(
        pipeline,
        "version.registered",
        ["version", versionId],
        modelId,
        `registered ${name} v${n} with ${SUMMARY.length + EXTRA.length} metrics`,
        at,
      );

      const newest = n === count;
      const open = newest && m >= openFrom;
      if (!open && rnd() > 0.6) continue; // not every version asks for production
      const status = open
        ? m >= LARGE.models - LARGE.awaitingMetrics
          ? "awaiting_metrics"
          : "pending_review"
        : newest || rnd() < 0.7
          ? "approved"
          : rnd() < 0.5
            ? "rejected"
            : "superseded";
      const reason =
        status === "awaiting_metrics"
          ? "waiting for metrics: fairness_gap"
          : status === "pending_review"
            ? "waiting for 1 approval (review)"
            : status === "superseded"
              ? `superseded by v${n + 1}`
              : `${status} by Rita Reviewer`;
      const decidedAt = at + 3_600_000;
      const requestId = Number(
        q.request.run(
          versionId,
          env.production,
          status,
          reason,
          token.id,
          open ? null : decidedAt,
          at + 60_000,
          open ? at + 60_000 : decidedAt,
        ).lastInsertRowid,
      );
      audit(
        pipeline,
        "request.created",
        ["request", requestId],
        modelId,
        `asked to deploy ${name} v${n} to production`,
        at + 60_000,
      );
      if (status === "approved" || status === "rejected") {
        const by = rnd() < 0.5 ? reviewer : lead;
        const kind = status === "approved" ? "approve" : "reject";
        q.decision.run(
          requestId,
          by.id,
          kind,
          kind === "reject" ? "recall too low" : null,
          decidedAt,
        );
        audit(
          { type: "user", id: by.id, name: by.name },
          `decision.${kind}`,
          ["request", requestId],
          modelId,
          `${by.name} ${status} ${name} v${n}`,
          decidedAt,
        );
      }
      if (status === "approved") live = { versionId, requestId };
      if (live && (status === "approved" || newest)) {
        const deployedAt = decidedAt + 600_000;
        const id = Number(
          q.deployment.run(live.versionId, env.production, live.requestId, token.id, deployedAt)
            .lastInsertRowid,
        );
        audit(
          pipeline,
          "deployment.recorded",
          ["deployment", id],
          modelId,
          `deployed ${name} to production`,
          deployedAt,
        );
        live = null;
      }
    }
  });
  for (let m = 0; m < LARGE.models; m++) seedModel(m);
  // No ANALYZE: an installation has no statistics unless someone runs it,
  // so the planner works here as it does there.
  sqlite.pragma("journal_mode = WAL");
  sqlite.close();
}

if (require.main === module) {
  const started = performance.now();
  void cachedLargeDb().then(({ file, seededSeconds }) => {
    const took = seededSeconds ?? (performance.now() - started) / 1000;
    process.stdout.write(
      `${file} ready (${seededSeconds === null ? "cached" : `seeded in ${took.toFixed(1)} s`})\n`,
    );
  });
}

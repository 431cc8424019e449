// Idempotency-Key on pipeline POSTs: a retry with the same key and body gets
// the first answer and writes nothing new; the same key with another body is
// refused with 422. A key is claimed in the database before the call runs,
// so two retries racing each other still run the change once.
//
// The call's change, its answer and the key are three commits, so the key
// row also records which process claimed it and, inside the change's own
// transaction, that the change committed (idempotency-context.ts). A retry
// that finds the key still in progress while no call of it is running (its
// process stopped, or storing the answer failed) can then tell what happened:
// a committed change is answered 409 `conflict:idempotency_answer_lost` (the
// answer is gone, the change must not run twice); otherwise the key is freed
// and the call runs again. Keys are remembered for 24 hours.
//
// TODO: "no call of it is running" means "claimed by another process id" as
// the gate runs as one process; with several instances on one database, a
// retry would take a key another live instance is running for orphaned and
// run the change a second time.
// TODO: keys left in progress before migration 0007 have no owner and no
// mark; a retry within their 24 hours runs the call again, even if its change
// had committed (a second version or deployment record).
import { createHash } from "node:crypto";
import type { Db } from "@/db/client";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  getIdempotencyKey,
  IN_PROGRESS,
  releaseIdempotencyKey,
} from "@/db/queries/idempotency";
import type { IdempotencyKey } from "@/db/schema";
import { AppError, badRequest } from "@/lib/errors";
import type { Actor } from "@/lib/gate/actor";
import { logFor } from "@/lib/log";
import {
  isKeyCallRunning,
  keyCallEnded,
  keyCallStarted,
  PROCESS_ID,
  runHoldingKey,
} from "./idempotency-context";
import { problemResponse } from "./problem";

const log = logFor("idempotency");

const KEY = /^[\x21-\x7e]{1,255}$/;
const WAIT_FOR_FIRST_MS = 30_000;
const POLL_MS = 50;

/**
 * What a retry must repeat: method, path and body. A JSON body counts as its
 * parsed value, so a client that re-serialises the same JSON with other
 * spacing is a retry, not another call; key order still counts.
 */
export function requestHash(method: string, path: string, body: string): string {
  return createHash("sha256")
    .update(`${method} ${path}\n${canonicalBody(body)}`)
    .digest("hex");
}

function canonicalBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body));
  } catch {
    return body;
  }
}

function callerKeyOf(actor: Actor): string {
  return actor.type === "user" ? `user:${actor.user.id}` : `token:${actor.token.id}`;
}

function replay(status: number, response: string): Response {
  return new Response(response, {
    status,
    headers: {
      "content-type": status >= 400 ? "application/problem+json" : "application/json",
      "idempotent-replayed": "true",
    },
  });
}

function mismatch(key: string): AppError {
  return new AppError(
    "unprocessable:idempotency_key",
    `Idempotency-Key "${key}" was first used with another request body or path; ` +
      "use a new key for a new request.",
  );
}

// Where a caller reads what a call to this path left behind.
function whereToRead(path: string): string {
  const version = /^\/api\/v1\/models\/([^/]+)\/versions\/([^/]+)\//.exec(path);
  if (version) {
    const [, name, number] = version;
    return `GET /api/v1/models/${name}/versions/${number}/approval?environment=<environment>`;
  }
  const model = /^\/api\/v1\/models\/([^/]+)\/versions$/.exec(path);
  if (model) return `the model's page /models/${model[1]}, which lists its versions`;
  return "the dashboard";
}

function answerLost(key: string, path: string): AppError {
  return new AppError(
    "conflict:idempotency_answer_lost",
    `The first call with Idempotency-Key "${key}" was carried out (its change is committed) ` +
      "but its answer was lost before it was sent. It will not run again; read the state it " +
      `left with ${whereToRead(path)}.`,
  );
}

/**
 * Stores what retries get: the call's answer; or, after a failure or a server
 * error, nothing (the key is freed and a retry runs again) unless the change
 * committed, when retries are told the answer was lost.
 */
async function settle(
  db: Db,
  row: number,
  where: { key: string; path: string },
  answer: { status: number; text: string } | null,
): Promise<void> {
  try {
    if (answer && answer.status < 500) {
      completeIdempotencyKey(db, row, { status: answer.status, response: answer.text });
    } else if (!releaseIdempotencyKey(db, row)) {
      const lost = problemResponse(answerLost(where.key, where.path), where.path);
      completeIdempotencyKey(db, row, { status: lost.status, response: await lost.text() });
    }
  } catch (error) {
    // The change (if any) stands and the caller gets its real answer; the key
    // stays in progress with no call running, and a retry learns from the
    // committed mark whether to run again (see the top of this file).
    log.error({ err: error, ...where }, "could not store the answer of an Idempotency-Key");
  }
}

async function waitForFirst(
  db: Db,
  id: { callerKey: string; key: string },
  bodyHash: string,
  path: string,
): Promise<IdempotencyKey | "run again"> {
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    const first = getIdempotencyKey(db, id.callerKey, id.key, new Date());
    if (!first) return "run again"; // the first call failed: go again
    if (first.bodyHash !== bodyHash) throw mismatch(id.key);
    if (first.status !== IN_PROGRESS) return first;
    if (!isKeyCallRunning(first)) {
      if (first.committedAt) throw answerLost(id.key, path);
      // Nothing committed: the first call changed nothing; free the key.
      releaseIdempotencyKey(db, first.id);
      return "run again";
    }
    if (Date.now() > deadline) {
      throw new AppError(
        "conflict:idempotency_in_progress",
        "The first call with this key is still running.",
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

export async function withIdempotency(
  req: Request,
  db: Db,
  actor: Actor,
  run: () => Promise<Response>,
): Promise<Response> {
  const key = req.headers.get("idempotency-key");
  if (key === null || req.method !== "POST") return run();
  if (!KEY.test(key)) {
    throw badRequest("idempotency_key", "Idempotency-Key must be 1-255 visible ASCII characters.", [
      { field: "Idempotency-Key", rule: "format", message: "1-255 visible ASCII characters" },
    ]);
  }
  const path = new URL(req.url).pathname;
  const body = await req.clone().text();
  const bodyHash = requestHash(req.method, path, body);
  const id = { callerKey: callerKeyOf(actor), key };

  const row = claimIdempotencyKey(
    db,
    { ...id, method: req.method, path, bodyHash, claimedBy: PROCESS_ID },
    new Date(),
  );
  if (row === null) {
    const first = await waitForFirst(db, id, bodyHash, path);
    if (first === "run again") return withIdempotency(req, db, actor, run);
    return replay(first.status, first.response);
  }

  keyCallStarted(row);
  try {
    let response: Response;
    try {
      response = await runHoldingKey(row, run);
    } catch (error) {
      await settle(db, row, { key, path }, null);
      throw error;
    }
    const text = await response.text();
    // A server error is not an answer worth repeating: unless its change
    // committed, the retry runs again.
    await settle(db, row, { key, path }, { status: response.status, text });
    return new Response(text, { status: response.status, headers: response.headers });
  } finally {
    keyCallEnded(row);
  }
}

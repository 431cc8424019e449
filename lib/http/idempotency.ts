// Idempotency-Key on pipeline POSTs: a retry with the same key and body gets
// the first answer and writes nothing new; the same key with another body is
// refused with 422. A key is claimed in the database before the call runs,
// so two retries racing each other still run the change once.
import { createHash } from "node:crypto";
import type { Db } from "@/db/client";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  getIdempotencyKey,
  IN_PROGRESS,
  releaseIdempotencyKey,
} from "@/db/queries/idempotency";
import { AppError, badRequest } from "@/lib/errors";
import type { Actor } from "@/lib/gate/actor";

const KEY = /^[\x21-\x7e]{1,255}$/;
const WAIT_FOR_FIRST_MS = 30_000;
const POLL_MS = 50;

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
  const bodyHash = createHash("sha256").update(`${req.method} ${path}\n${body}`).digest("hex");
  const id = { callerKey: callerKeyOf(actor), key };

  if (!claimIdempotencyKey(db, { ...id, method: req.method, path, bodyHash }, new Date())) {
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const first = getIdempotencyKey(db, id.callerKey, key);
      if (!first) return withIdempotency(req, db, actor, run); // the first call failed: go again
      if (first.bodyHash !== bodyHash) throw mismatch(key);
      if (first.status !== IN_PROGRESS) return replay(first.status, first.response);
      if (Date.now() > deadline) {
        throw new AppError(
          "conflict:idempotency_in_progress",
          "The first call with this key is still running.",
        );
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  let response: Response;
  try {
    response = await run();
  } catch (error) {
    releaseIdempotencyKey(db, id);
    throw error;
  }
  const text = await response.text();
  // A server error is not an answer worth repeating: let the retry run again.
  if (response.status >= 500) releaseIdempotencyKey(db, id);
  else completeIdempotencyKey(db, id, { status: response.status, response: text });
  return new Response(text, { status: response.status, headers: response.headers });
}

// The one wrapper every pipeline route handler goes through: it resolves the
// caller, turns errors into problem+json, and logs one line per request.
import { getDb, type Db } from "@/db/client";
import { getCurrentUser } from "@/lib/auth/current-user";
import { actorFromBearer } from "@/lib/auth/tokens";
import { AppError, badRequest, forbidden, unauthorized } from "@/lib/errors";
import type { Actor } from "@/lib/gate/actor";
import { MAX_BODY_BYTES } from "@/lib/limits";
import { logFor } from "@/lib/log";
import { isShuttingDown } from "@/lib/gate/request-events";
import { clientAddress } from "./client-address";
import { isDatabaseBusy } from "./database-busy";
import { withIdempotency } from "./idempotency";
import { busyResponse, internalErrorResponse, problemResponse } from "./problem";
import { isRefusal, recordRefusal } from "./refusals";

const log = logFor("http");

export { MAX_BODY_BYTES };

type Ctx<P> = { params: Promise<P> };
type Handler<P> = (args: {
  req: Request;
  db: Db;
  actor: Actor;
  params: P;
}) => Promise<Response> | Response;

/** Bearer token first (pipelines), then the browser session (people). */
async function resolveActor(req: Request, db: Db): Promise<Actor> {
  const header = req.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw unauthorized('The Authorization header must be "Bearer <token>".');
    return actorFromBearer(db, match[1]);
  }
  const user = await getCurrentUser();
  if (!user) throw unauthorized();
  refuseCrossSiteWrite(req);
  return { type: "user", user };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function configuredHost(): string | null {
  const url = process.env.APP_URL ?? process.env.NEXTAUTH_URL;
  return url && URL.canParse(url) ? new URL(url).host : null;
}

/**
 * A browser sends the session cookie with requests another page starts, so a
 * cookie-authenticated write must come from this origin. (Bearer tokens are
 * never sent by a browser on its own, so pipelines are not affected.)
 */
function refuseCrossSiteWrite(req: Request): void {
  if (SAFE_METHODS.has(req.method)) return;
  const origin = req.headers.get("origin");
  // Only the Host header and the configured public URL count: a forwarded
  // host header is whatever the caller says it is.
  const allowed = new Set([req.headers.get("host"), configuredHost()].filter(Boolean));
  const sameOrigin = origin !== null && URL.canParse(origin) && allowed.has(new URL(origin).host);
  if (!sameOrigin) {
    throw forbidden(
      "cross_origin",
      "A write with a session cookie must come from this site; pipelines send a bearer token.",
    );
  }
}

export function apiHandler<P>(handler: Handler<P>) {
  return async (req: Request, ctx: Ctx<P>): Promise<Response> => {
    const started = performance.now();
    const path = new URL(req.url).pathname;
    let response: Response;
    let actorLabel: string | undefined;
    let actor: Actor | null = null;
    try {
      const db = getDb();
      actor = await resolveActor(req, db);
      actorLabel = actor.type === "user" ? `user:${actor.user.id}` : `token:${actor.token.id}`;
      const params = await ctx.params;
      const known = actor;
      response = await withIdempotency(req, db, known, async () =>
        handler({ req, db, actor: known, params }),
      );
    } catch (error) {
      if (error instanceof AppError) {
        response = problemResponse(error, path);
        if (isRefusal(error)) {
          await recordRefusal(getDb(), actor, {
            attempt: `${req.method} ${path}`,
            error,
            address: clientAddress(req.headers),
          });
        }
      } else if (isDatabaseBusy(error)) {
        // Last resort: the busy timeout ran out while another writer held the lock.
        log.warn({ method: req.method, path }, "database busy");
        response = busyResponse(path);
      } else {
        log.error({ err: error, method: req.method, path }, "unhandled error");
        response = internalErrorResponse();
      }
    }
    // While the server drains, close each connection after its answer so
    // keep-alive clients reconnect to a server that is staying.
    if (isShuttingDown()) response.headers.set("connection", "close");
    log.info(
      {
        method: req.method,
        path,
        status: response.status,
        actor: actorLabel,
        ms: Math.round(performance.now() - started),
      },
      "request",
    );
    return response;
  };
}

/**
 * Reads a text body, refusing one over the size limit with a 413. The body
 * is read as a stream and dropped as soon as it passes the limit, so a
 * chunked upload without a Content-Length cannot fill the memory.
 */
export async function readText(req: Request, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    parts.push(value);
  }
  return Buffer.concat(parts).toString("utf8");
}

/** Reads a JSON body, refusing a large or malformed one with a clear 4xx. */
export async function readJson(
  req: Request,
  { optional = false, maxBytes = MAX_BODY_BYTES } = {},
): Promise<unknown> {
  const text = await readText(req, maxBytes);
  if (text.trim() === "") {
    if (optional) return {};
    throw badRequest("json", "The request body is empty; send a JSON object.");
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : "unknown error";
    throw badRequest("json", `The request body is not valid JSON: ${why}.`, [
      { field: "(body)", rule: "json", message: `(body): not valid JSON: ${why}` },
    ]);
  }
  const reserved = reservedKeyPath(body);
  if (reserved !== null) {
    const message = `${reserved}: the name "__proto__" is reserved and cannot be used`;
    throw badRequest("json", message, [{ field: reserved, rule: "reserved_name", message }]);
  }
  return body;
}

/**
 * Where the body uses "__proto__" as a name, or null. JSON.parse keeps it as
 * a plain key, but copying it into an object (as validation does) sets that
 * object's prototype instead, so a param or tag of that name would vanish
 * without a word; it is refused instead.
 */
function reservedKeyPath(body: unknown): string | null {
  // A stack, not recursion: a body may nest deeper than the call stack goes.
  const stack: Array<{ value: unknown; path: string }> = [{ value: body, path: "" }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, path } = next;
    if (typeof value !== "object" || value === null) continue;
    const list = Array.isArray(value);
    for (const [key, inner] of Object.entries(value)) {
      const here = list ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (key === "__proto__" && !list) return here;
      stack.push({ value: inner, path: here });
    }
  }
  return null;
}

function tooLarge(maxBytes: number) {
  return new AppError(
    "payload_too_large:body",
    `The request body is over the limit of ${maxBytes} bytes for this call.`,
  );
}

export function json(body: unknown, status = 200): Response {
  return jsonText(JSON.stringify(body), status);
}

/**
 * An answer whose JSON is already written (one text shared by many waiters).
 * `next start` gzips every JSON answer with a fresh zlib stream, even
 * `{"ok":true}`, whatever its length (it drops a declared Content-Length);
 * that was most of the cost of answering 1,000 long polls at once. Small
 * answers, and answers sent to many waiters at once, say no-transform, which
 * the server's compression honours; larger ones are still gzipped.
 */
export function jsonText(text: string, status = 200, opts: { compress?: boolean } = {}): Response {
  const compress = opts.compress ?? Buffer.byteLength(text) >= COMPRESS_FROM_BYTES;
  return new Response(text, {
    status,
    headers: {
      "content-type": "application/json",
      ...(compress ? {} : { "cache-control": "no-store, no-transform" }),
    },
  });
}

/** Below this a gzip stream costs more time than the bytes it saves. */
const COMPRESS_FROM_BYTES = 1024;

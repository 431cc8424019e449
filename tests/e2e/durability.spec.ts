// Durability over real HTTP: SIGKILL during a burst of decisions loses none
// that were acknowledged and leaves the audit chain intact; SIGTERM answers
// the requests in flight before the process exits, and a burst of decisions
// sent with the signal is each either acknowledged and stored, or refused
// and absent from the database.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { migrateDatabase, openDatabase } from "@/db/client";
import { iterateAuditEvents } from "@/db/queries/audit";
import { insertUser } from "@/db/queries/users";
import { verifyChain } from "@/lib/audit/verify-chain";
import { actorFromBearer, createPersonalToken, createToken } from "@/lib/auth/tokens";
import { requestApproval } from "@/lib/gate/requests";
import { registerVersion } from "@/lib/gate/versions";
import { logger } from "@/lib/log";
import { freePort, startOwnServer, type OwnServer } from "./support/own-server";

const run = promisify(execFile);
// The set-up writes through the library in this process; its info lines are noise here.
logger.level = "warn";

/** A database with `count` models, each with one version waiting for review. */
function databaseWithPendingRequests(count: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mag-durability-"));
  const file = path.join(dir, "approvals.db");
  const { db, sqlite } = openDatabase(file);
  migrateDatabase(db);
  const reviewer = insertUser(db, {
    email: "rita@example.com",
    name: "Rita Reviewer",
    role: "reviewer",
    passwordHash: "unused",
  });
  const pipeline = actorFromBearer(db, createToken(db, { name: "ci", createdBy: "e2e" }).secret);
  const requests = Array.from({ length: count }, (_, i) => {
    const model = `burst-${i}`;
    registerVersion(db, pipeline, model, {});
    return { model, id: requestApproval(db, pipeline, model, 1, {}).request.id };
  });
  const personal = createPersonalToken(
    db,
    { type: "user", user: reviewer },
    { name: "bot", expiresInDays: null },
  );
  sqlite.close();
  return { dir, file, requests, secret: personal.secret };
}

test("SIGKILL mid-burst loses no acknowledged decision and keeps the chain intact", async () => {
  test.setTimeout(240_000);
  const world = databaseWithPendingRequests(120);
  const port = await freePort();
  const server = await startOwnServer(world.file, port);
  const headers = {
    authorization: `Bearer ${world.secret}`,
    "content-type": "application/json",
  };

  const acknowledged: number[] = [];
  let next = 0;
  let killed = false;
  // Eight pipelines deciding at once until the server is killed under them.
  const lanes = Array.from({ length: 8 }, async () => {
    while (next < world.requests.length) {
      const { id } = world.requests[next++]!;
      try {
        const res = await fetch(`${server.url}/api/v1/requests/${id}/decisions`, {
          method: "POST",
          headers,
          body: JSON.stringify({ decision: "approve" }),
        });
        if (res.ok) acknowledged.push(id);
      } catch {
        // the connection died with the server
      }
      if (!killed && acknowledged.length >= 30) {
        killed = true;
        server.child.kill("SIGKILL");
      }
    }
  });
  await Promise.all(lanes);
  await server.exited;
  expect(killed).toBe(true);
  expect(acknowledged.length).toBeGreaterThanOrEqual(30);
  expect(acknowledged.length).toBeLessThan(world.requests.length);

  const again = await startOwnServer(world.file, port);
  try {
    for (const { model, id } of world.requests.filter((r) => acknowledged.includes(r.id))) {
      const res = await fetch(`${again.url}/api/v1/models/${model}/versions/1/approval`, {
        headers,
      });
      const status = (await res.json()) as { status: string; approved_by: string[] };
      expect(status, `request ${id}`).toMatchObject({
        status: "approved",
        approved_by: ["Rita Reviewer"],
      });
    }
  } finally {
    again.child.kill("SIGTERM");
    await again.exited;
  }
  const verify = await run("npx", ["tsx", "scripts/audit-verify.ts"], {
    env: { ...process.env, DATABASE_URL: world.file },
  });
  expect(verify.stdout).toMatch(/^audit chain intact: \d+ events/);
  fs.rmSync(world.dir, { recursive: true, force: true });
});

type Outcome = { id: number; answer: number | "no answer" | "cut off" };

/** POSTs an approval and reads the answer in full; a failure is an outcome too. */
async function approve(server: OwnServer, secret: string, id: number, body: BodyInit) {
  let res: Response;
  try {
    res = await fetch(`${server.url}/api/v1/requests/${id}/decisions`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body,
      // A streamed body (below) needs this in Node's fetch.
      duplex: "half",
    } as RequestInit);
  } catch {
    // Refused or reset: the server never took it, or died under it.
    return { id, answer: "no answer" } satisfies Outcome;
  }
  try {
    await res.json();
    return { id, answer: res.status } satisfies Outcome;
  } catch {
    return { id, answer: "cut off" } satisfies Outcome;
  }
}

/**
 * A decision whose headers and first bytes are sent now and the rest of its
 * body only on `finish()`: the server has taken it and is reading it, so it
 * is in flight for certain when the signal comes.
 */
function heldDecision(server: OwnServer, secret: string, id: number) {
  const bytes = new TextEncoder();
  let finish = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.encode('{"decision":'));
      finish = () => {
        controller.enqueue(bytes.encode('"approve"}'));
        controller.close();
      };
    },
  });
  return { outcome: approve(server, secret, id, body), finish: () => finish() };
}

/** What the database file holds once the server is gone. */
function readBack(file: string) {
  const { db, sqlite } = openDatabase(file);
  try {
    const ids = (query: string) => new Set(sqlite.prepare(query).pluck().all() as number[]);
    return {
      decided: ids("SELECT request_id FROM decisions WHERE user_id IS NOT NULL"),
      audited: ids("SELECT subject_id FROM audit_events WHERE action = 'decision.approve'"),
      chain: verifyChain(iterateAuditEvents(db)),
    };
  } finally {
    sqlite.close();
  }
}

test("SIGTERM answers the requests in flight, then the server exits", async () => {
  test.setTimeout(180_000);
  const world = databaseWithPendingRequests(61);
  const server = await startOwnServer(world.file, await freePort());
  const [waiting, ...rest] = world.requests;
  const held = rest.slice(0, 10).map((r) => heldDecision(server, world.secret, r.id));

  // A pipeline long-polling its gate, well inside the 60 s wait.
  const started = Date.now();
  const poll = fetch(`${server.url}/api/v1/models/${waiting!.model}/versions/1/approval?wait=50`, {
    headers: { authorization: `Bearer ${world.secret}` },
  });
  await new Promise((r) => setTimeout(r, 1000));
  // A burst of decisions sent as the signal goes: each may land before the
  // server stops listening or after, and is not awaited before the signal.
  const burst = rest
    .slice(10)
    .map((r) => approve(server, world.secret, r.id, JSON.stringify({ decision: "approve" })));
  server.child.kill("SIGTERM");

  // The long poll is answered at once with the status as it stands; that
  // answer also shows the server is shutting down when the held bodies end.
  const answer = await poll;
  expect(answer.status).toBe(200);
  expect(((await answer.json()) as { status: string }).status).toBe("pending_review");
  expect(Date.now() - started).toBeLessThan(20_000);
  for (const h of held) h.finish();
  const inFlight = await Promise.all(held.map((h) => h.outcome));
  const sentWithSignal = await Promise.all(burst);
  expect(await server.exited).not.toBeNull();
  await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();

  // A server that exited without draining would leave the held decisions
  // unanswered, and could leave one of the burst stored but unanswered.
  const stored = readBack(world.file);
  expect(inFlight.map((o) => o.answer)).toEqual(held.map(() => 201));
  const outcomes = [...inFlight, ...sentWithSignal];
  expect(outcomes.filter((o) => o.answer === "cut off")).toEqual([]);
  const acknowledged = outcomes.filter((o) => o.answer === 201).map((o) => o.id);
  expect([...stored.decided].sort((a, b) => a - b)).toEqual(acknowledged.sort((a, b) => a - b));
  for (const o of outcomes.filter((o) => o.answer !== 201)) {
    expect(stored.decided.has(o.id), `request ${o.id} (${o.answer})`).toBe(false);
  }
  expect(stored.audited).toEqual(stored.decided);
  expect(stored.chain).toMatchObject({ ok: true });
  fs.rmSync(world.dir, { recursive: true, force: true });
});

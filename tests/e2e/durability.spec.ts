// Durability over real HTTP: SIGKILL during a burst of decisions loses none
// that were acknowledged and leaves the audit chain intact; SIGTERM answers
// the requests in flight before the process exits.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { migrateDatabase, openDatabase } from "@/db/client";
import { insertUser } from "@/db/queries/users";
import { actorFromBearer, createPersonalToken, createToken } from "@/lib/auth/tokens";
import { requestApproval } from "@/lib/gate/requests";
import { registerVersion } from "@/lib/gate/versions";
import { logger } from "@/lib/log";
import { freePort, startOwnServer } from "./support/own-server";

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

test("SIGTERM answers the requests in flight, then the server exits", async () => {
  test.setTimeout(180_000);
  const world = databaseWithPendingRequests(20);
  const server = await startOwnServer(world.file, await freePort());
  const headers = { authorization: `Bearer ${world.secret}` };
  const waiting = world.requests[0]!;

  // A pipeline long-polling its gate, well inside the 60 s wait.
  const started = Date.now();
  const poll = fetch(`${server.url}/api/v1/models/${waiting.model}/versions/1/approval?wait=50`, {
    headers,
  });
  await new Promise((r) => setTimeout(r, 1000));
  // Decisions on their way in when the signal arrives.
  const decisions = world.requests.slice(1, 9).map(({ id }) =>
    fetch(`${server.url}/api/v1/requests/${id}/decisions`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ decision: "approve" }),
    }).then(
      (res) => res.status,
      () => "refused",
    ),
  );
  await new Promise((r) => setTimeout(r, 200));
  server.child.kill("SIGTERM");

  const answer = await poll;
  expect(answer.status).toBe(200);
  expect(((await answer.json()) as { status: string }).status).toBe("pending_review");
  expect(Date.now() - started).toBeLessThan(20_000);
  const outcomes = await Promise.all(decisions);
  // Each decision was either answered in full or never accepted: none cut off.
  for (const o of outcomes) expect([201, "refused"]).toContain(o);
  expect(outcomes).toContain(201);
  expect(await server.exited).not.toBeNull();
  await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();
  fs.rmSync(world.dir, { recursive: true, force: true });
});

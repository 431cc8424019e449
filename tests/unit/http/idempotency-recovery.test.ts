// A key whose first call never stored its answer (the process was killed, or
// the write of the answer failed) still tells a retry what happened: the
// call's change marks the key in the change's own transaction. Committed:
// 409 answer_lost at once, never a second change. Not committed: the call
// runs again, once.
import { afterEach, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { claimIdempotencyKey, IN_PROGRESS } from "@/db/queries/idempotency";
import { idempotencyKeys, registeredModels } from "@/db/schema";
import type { Actor } from "@/lib/gate/actor";
import { writeTransaction } from "@/lib/gate/transaction";
import { registerVersion } from "@/lib/gate/versions";
import { requestHash, withIdempotency } from "@/lib/http/idempotency";
import { cast, fileDb, userActor } from "../helpers/test-db";
import { gateWorlds, MODEL } from "../helpers/gate-world";

const newWorld = gateWorlds();
const PATH = `/api/v1/models/${MODEL}/versions`;
const BODY = '{"metrics":[]}';

function post(key = "key-1", body = BODY) {
  return new Request(`http://localhost${PATH}`, {
    method: "POST",
    headers: { "idempotency-key": key },
    body,
  });
}

/** The register-a-version call, counting how often it runs. */
function registering(db: Db, actor: Actor) {
  const calls = { runs: 0 };
  const run = async () => {
    calls.runs += 1;
    const { version } = registerVersion(db, actor, MODEL, { metrics: [] });
    return Response.json({ version: version.number }, { status: 201 });
  };
  return Object.assign(calls, { run });
}

const versionCount = (db: Db) =>
  db.get<{ n: number }>(sql`SELECT count(*) AS n FROM model_versions`).n;
const keyRows = (db: Db) => db.select().from(idempotencyKeys).all();

// What a SIGKILL between the change's commit and the stored answer leaves:
// the key in progress, claimed by a process that is gone.
function killBeforeTheAnswer(db: Db) {
  db.update(idempotencyKeys)
    .set({ status: IN_PROGRESS, response: "", claimedBy: "a-stopped-process" })
    .run();
}

afterEach(() => vi.useRealTimers());

describe("Idempotency-Key after a lost answer", () => {
  it("answers 409 answer_lost at once when the stopped call's change committed", async () => {
    const w = newWorld();
    const first = registering(w.db, w.lead);
    expect((await withIdempotency(post(), w.db, w.lead, first.run)).status).toBe(201);
    // The change's own transaction marked the key.
    expect(keyRows(w.db)[0]?.committedAt).toBeInstanceOf(Date);
    killBeforeTheAnswer(w.db);

    // With timers frozen, waiting for the first call could never end: the
    // answer has to come without waiting.
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    const retry = registering(w.db, w.lead);
    const refused = withIdempotency(post(), w.db, w.lead, retry.run);
    await expect(refused).rejects.toMatchObject({
      status: 409,
      code: "conflict:idempotency_answer_lost",
    });
    await expect(refused).rejects.toThrow(
      /was carried out .* answer was lost .* It will not run again; .* \/models\/fraud-detector/,
    );
    expect(retry.runs).toBe(0);
    expect(versionCount(w.db)).toBe(1);
  });

  it("runs the call again, once, when the stopped call changed nothing", async () => {
    const w = newWorld();
    claimIdempotencyKey(
      w.db,
      {
        callerKey: `user:${w.people.lead.id}`,
        key: "key-1",
        method: "POST",
        path: PATH,
        bodyHash: requestHash("POST", PATH, BODY),
        claimedBy: "a-stopped-process",
      },
      new Date(),
    );

    // Two retries race: one frees the key and runs, the other gets its answer.
    const retry = registering(w.db, w.lead);
    const answers = await Promise.all([
      withIdempotency(post(), w.db, w.lead, retry.run),
      withIdempotency(post(), w.db, w.lead, retry.run),
    ]);
    const again = await withIdempotency(post(), w.db, w.lead, retry.run);

    expect(answers.map((a) => a.status)).toEqual([201, 201]);
    expect(await again.json()).toEqual({ version: 1 });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.runs).toBe(1);
    expect(versionCount(w.db)).toBe(1);
  });

  it("keeps a change and its mark in one transaction: a failed change leaves neither", async () => {
    const w = newWorld();
    let markSeen: Date | null | undefined;
    const failing = async () => {
      try {
        writeTransaction(w.db, (tx) => {
          tx.insert(registeredModels).values({ name: "half-written" }).run();
          throw new Error("fails after writing");
        });
      } finally {
        markSeen = keyRows(w.db)[0]?.committedAt;
      }
      return new Response("never");
    };
    await expect(withIdempotency(post(), w.db, w.lead, failing)).rejects.toThrow(
      "fails after writing",
    );
    expect(markSeen).toBeNull();
    expect(
      w.db.select().from(registeredModels).where(eq(registeredModels.name, "half-written")).all(),
    ).toEqual([]);
    // Nothing committed, so the key was freed and the retry runs.
    expect(keyRows(w.db)).toEqual([]);
    const retry = registering(w.db, w.lead);
    expect((await withIdempotency(post(), w.db, w.lead, retry.run)).status).toBe(201);
    expect(retry.runs).toBe(1);
  });

  it("never runs again a call that failed after its change committed", async () => {
    const w = newWorld();
    const committedThenFailed = async () => {
      registerVersion(w.db, w.lead, MODEL, { metrics: [] });
      throw new Error("failed while answering");
    };
    await expect(withIdempotency(post(), w.db, w.lead, committedThenFailed)).rejects.toThrow(
      "failed while answering",
    );

    const retry = registering(w.db, w.lead);
    const answer = await withIdempotency(post(), w.db, w.lead, retry.run);
    expect(answer.status).toBe(409);
    expect(answer.headers.get("idempotent-replayed")).toBe("true");
    expect(await answer.json()).toMatchObject({ code: "conflict:idempotency_answer_lost" });
    expect(retry.runs).toBe(0);
    expect(versionCount(w.db)).toBe(1);
  });
});

describe("Idempotency-Key when storing the answer fails", () => {
  it("returns the real answer, and a retry learns the change committed", async () => {
    const open = fileDb();
    try {
      // Another writer holds the lock when the answer is stored; no waiting.
      open.sqlite.pragma("busy_timeout = 0");
      const other = open.connect();
      const lead = userActor(cast(open.db).lead);
      const run = async () => {
        const { version } = registerVersion(open.db, lead, MODEL, { metrics: [] });
        other.sqlite.prepare("BEGIN IMMEDIATE").run();
        return Response.json({ version: version.number }, { status: 201 });
      };

      const answer = await withIdempotency(post(), open.db, lead, run);
      other.sqlite.prepare("ROLLBACK").run();

      expect(answer.status).toBe(201);
      expect(await answer.json()).toEqual({ version: 1 });
      expect(keyRows(open.db)[0]).toMatchObject({ status: IN_PROGRESS });

      const retry = registering(open.db, lead);
      await expect(withIdempotency(post(), open.db, lead, retry.run)).rejects.toMatchObject({
        status: 409,
        code: "conflict:idempotency_answer_lost",
      });
      expect(retry.runs).toBe(0);
      expect(versionCount(open.db)).toBe(1);
    } finally {
      open.close();
    }
  });
});

describe("Idempotency-Key lifetime", () => {
  it("forgets a key after 24 hours and deletes expired keys when one is claimed", async () => {
    const w = newWorld();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-03-01T08:00:00Z"));
    const c = registering(w.db, w.lead);
    await withIdempotency(post("key-1"), w.db, w.lead, c.run);
    await withIdempotency(post("key-2"), w.db, w.lead, c.run);

    vi.setSystemTime(new Date("2026-03-02T07:59:00Z"));
    const replayed = await withIdempotency(post("key-1"), w.db, w.lead, c.run);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(c.runs).toBe(2);

    vi.setSystemTime(new Date("2026-03-02T08:01:00Z"));
    const fresh = await withIdempotency(post("key-1"), w.db, w.lead, c.run);
    expect(fresh.headers.get("idempotent-replayed")).toBeNull();
    expect(await fresh.json()).toEqual({ version: 3 });
    // key-2's row expired too and went with the claim; key-1 is the new claim.
    expect(keyRows(w.db).map((r) => r.key)).toEqual(["key-1"]);
  });
});

import { describe, expect, it } from "vitest";
import { withIdempotency } from "@/lib/http/idempotency";
import { gateWorlds } from "../helpers/gate-world";

const newWorld = gateWorlds();

function post(body: string, key: string | null = "key-1", path = "/api/v1/models/m/versions") {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers: key ? { "idempotency-key": key } : {},
    body,
  });
}

function counter() {
  let runs = 0;
  return {
    get runs() {
      return runs;
    },
    run: async () => {
      runs += 1;
      await new Promise((r) => setTimeout(r, 20));
      return Response.json({ version: runs }, { status: 201 });
    },
  };
}

describe("Idempotency-Key", () => {
  it("answers a retry with the first answer and runs the change once", async () => {
    const w = newWorld();
    const c = counter();
    const first = await withIdempotency(post("{}"), w.db, w.lead, c.run);
    const retry = await withIdempotency(post("{}"), w.db, w.lead, c.run);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(await retry.json()).toEqual({ version: 1 });
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(c.runs).toBe(1);
  });

  it("runs the change once when ten retries race each other", async () => {
    const w = newWorld();
    const c = counter();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => withIdempotency(post("{}"), w.db, w.lead, c.run)),
    );
    expect(c.runs).toBe(1);
    const bodies = await Promise.all(answers.map((a) => a.json()));
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
  });

  it("refuses the same key with another body with 422", async () => {
    const w = newWorld();
    const c = counter();
    await withIdempotency(post('{"a":1}'), w.db, w.lead, c.run);
    await expect(withIdempotency(post('{"a":2}'), w.db, w.lead, c.run)).rejects.toMatchObject({
      status: 422,
      code: "unprocessable:idempotency_key",
    });
    expect(c.runs).toBe(1);
  });

  it("takes the same JSON with other spacing as a retry", async () => {
    const w = newWorld();
    const c = counter();
    await withIdempotency(post('{"a":1,"b":[1,2]}'), w.db, w.lead, c.run);
    const retry = await withIdempotency(
      post('{ "a": 1,\n  "b": [ 1, 2 ] }\n'),
      w.db,
      w.lead,
      c.run,
    );
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(c.runs).toBe(1);
  });

  it("keeps keys apart per caller", async () => {
    const w = newWorld();
    const c = counter();
    await withIdempotency(post("{}"), w.db, w.lead, c.run);
    await withIdempotency(post("{}"), w.db, w.as("admin"), c.run);
    expect(c.runs).toBe(2);
  });

  it("lets a retry run again after a server error", async () => {
    const w = newWorld();
    let runs = 0;
    const failing = async () => {
      runs += 1;
      return Response.json({ error: "boom" }, { status: runs === 1 ? 500 : 201 });
    };
    expect((await withIdempotency(post("{}"), w.db, w.lead, failing)).status).toBe(500);
    expect((await withIdempotency(post("{}"), w.db, w.lead, failing)).status).toBe(201);
    expect(runs).toBe(2);
  });

  it("refuses a malformed key with 400", async () => {
    const w = newWorld();
    await expect(
      withIdempotency(post("{}", "has space"), w.db, w.lead, counter().run),
    ).rejects.toMatchObject({ status: 400 });
  });
});

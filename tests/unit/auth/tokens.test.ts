import { afterEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { apiTokens } from "@/db/schema";
import { actorFromBearer, createToken } from "@/lib/auth/tokens";
import { hashTokenSecret } from "@/lib/auth/token-secrets";
import { PIPELINE_SCOPES } from "@/lib/permissions";
import { can } from "@/lib/gate/actor";
import { addUser, memoryDb, thrown, type TestDb } from "../helpers/test-db";

let open: TestDb | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

function setup() {
  open = memoryDb();
  return open.db;
}

const raw = () => open!.sqlite;

const make = (db: TestDb["db"], extra: Partial<Parameters<typeof createToken>[1]> = {}) =>
  createToken(db, { name: "ci pipeline", createdBy: "Ada Admin", ...extra });

describe("creating tokens", () => {
  it("gives a secret that starts with mag_", () => {
    const db = setup();
    const { secret } = make(db);
    expect(secret.startsWith("mag_")).toBe(true);
    expect(secret.length).toBeGreaterThan(40);
  });

  it("gives a different secret every time", () => {
    const db = setup();
    expect(make(db).secret).not.toBe(make(db).secret);
  });

  it("stores only a hash and a short display prefix of the secret", () => {
    const db = setup();
    const { id, secret } = make(db);
    const row = db.select().from(apiTokens).where(eq(apiTokens.id, id)).get()!;
    expect(row.secretHash).toBe(hashTokenSecret(secret));
    expect(row.secretHash).not.toContain(secret);
    expect(secret.startsWith(row.displayPrefix)).toBe(true);
    expect(row.displayPrefix.length).toBeLessThan(12);
  });

  it("keeps the secret out of every row of every table", () => {
    const db = setup();
    const { secret } = make(db);
    const sqlite = raw();
    const tables = sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as { name: string }[];
    const randomPart = secret.slice("mag_".length + 6);
    for (const { name } of tables) {
      for (const row of sqlite.prepare(`SELECT * FROM "${name}"`).all()) {
        expect(JSON.stringify(row), `table ${name}`).not.toContain(randomPart);
      }
    }
  });

  it("gives pipeline scopes by default, which cannot decide", () => {
    const db = setup();
    const { scopes } = make(db);
    expect(scopes).toEqual(PIPELINE_SCOPES);
    expect(scopes).not.toContain("decide");
  });

  it("refuses an unknown scope with a 400 naming it", () => {
    const db = setup();
    const error = thrown(() => make(db, { scopes: ["register", "admin"] }));
    expect(error).toMatchObject({ status: 400, code: "bad_request:token_scopes" });
    expect(error.message).toContain("admin");
  });

  it("refuses an empty name with a 400", () => {
    const db = setup();
    expect(thrown(() => make(db, { name: "   " }))).toMatchObject({
      status: 400,
      code: "bad_request:token_name",
    });
  });

  it("writes an audit event without the secret", () => {
    const db = setup();
    make(db);
    const events = raw().prepare("SELECT action, actor_name FROM audit_events").all();
    expect(events).toEqual([{ action: "token.created", actor_name: "Ada Admin" }]);
  });
});

describe("resolving a bearer token", () => {
  it("resolves a known secret to its token and owner", () => {
    const db = setup();
    const owner = addUser(db, "reviewer", "Pia Pipeline");
    const { id, secret } = make(db, { ownerUserId: owner.id });
    const actor = actorFromBearer(db, secret);
    expect(actor.type).toBe("token");
    if (actor.type !== "token") return;
    expect(actor.token.id).toBe(id);
    expect(actor.owner?.name).toBe("Pia Pipeline");
    expect(can(actor, "versions:register")).toBe(true);
    expect(can(actor, "requests:decide")).toBe(false);
  });

  it("records when the token was last used", () => {
    const db = setup();
    const { id, secret } = make(db);
    actorFromBearer(db, secret);
    expect(
      db.select().from(apiTokens).where(eq(apiTokens.id, id)).get()?.lastUsedAt,
    ).toBeInstanceOf(Date);
  });

  it("refuses an unknown secret with 401", () => {
    const db = setup();
    make(db);
    const error = thrown(() => actorFromBearer(db, `mag_${"x".repeat(43)}`));
    expect(error).toMatchObject({ status: 401, code: "unauthorized:credentials" });
    expect(error.message).toContain("not known");
  });

  it("refuses a secret without the mag_ prefix with 401", () => {
    const db = setup();
    expect(thrown(() => actorFromBearer(db, "ghp_something"))).toMatchObject({ status: 401 });
  });

  it("refuses a revoked token with 401", () => {
    const db = setup();
    const { id, secret } = make(db);
    db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, id)).run();
    const error = thrown(() => actorFromBearer(db, secret));
    expect(error).toMatchObject({ status: 401 });
    expect(error.message).toContain("revoked");
  });

  it("refuses an expired token with 401", () => {
    const db = setup();
    const { id, secret } = make(db);
    db.update(apiTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiTokens.id, id))
      .run();
    const error = thrown(() => actorFromBearer(db, secret));
    expect(error).toMatchObject({ status: 401 });
    expect(error.message).toContain("expired");
  });
});

import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { users } from "@/db/schema";
import {
  actorFromBearer,
  createPersonalToken,
  createPipelineToken,
  revokeToken,
} from "@/lib/auth/tokens";
import { decideRequest } from "@/lib/gate/decide";
import { thrown, userActor } from "../helpers/test-db";
import { gateWorlds } from "../helpers/gate-world";

const newWorld = gateWorlds();

function pendingRequest(w: ReturnType<typeof newWorld>) {
  const version = w.register({ accuracy: 0.9 });
  return w.ask(version).id;
}

describe("personal tokens", () => {
  it("decide as their owner, with the owner's name on the decision", () => {
    const w = newWorld();
    const requestId = pendingRequest(w);
    const token = createPersonalToken(w.db, w.as("reviewer"), {
      name: "chat bot",
      expiresInDays: 30,
    });
    const actor = actorFromBearer(w.db, token.secret);
    const result = decideRequest(w.db, actor, requestId, { decision: "approve" });
    expect(result.request.status).toBe("approved");
    expect(result.by).toBe("Rita Reviewer");
    expect(token.scopes).toEqual(["read", "decide"]);
  });

  it("lose their power at once when the owner is demoted", () => {
    const w = newWorld();
    const requestId = pendingRequest(w);
    const token = createPersonalToken(w.db, w.as("reviewer"), { name: "bot", expiresInDays: null });
    w.db.update(users).set({ role: "viewer" }).where(eq(users.id, w.people.reviewer.id)).run();
    const error = thrown(() =>
      decideRequest(w.db, actorFromBearer(w.db, token.secret), requestId, { decision: "approve" }),
    );
    expect(error).toMatchObject({ status: 403 });
    expect(w.request(requestId).status).toBe("pending_review");
  });

  it("are refused with 401 once revoked by their owner", () => {
    const w = newWorld();
    const token = createPersonalToken(w.db, w.as("reviewer"), { name: "bot", expiresInDays: null });
    revokeToken(w.db, w.as("reviewer"), token.id);
    expect(thrown(() => actorFromBearer(w.db, token.secret))).toMatchObject({
      status: 401,
      message: "The bearer token has been revoked.",
    });
  });

  it("cannot be revoked by another reviewer", () => {
    const w = newWorld();
    const token = createPersonalToken(w.db, w.as("reviewer"), { name: "bot", expiresInDays: null });
    expect(thrown(() => revokeToken(w.db, w.as("reviewer2"), token.id))).toMatchObject({
      status: 403,
    });
  });

  it("cannot be made by a viewer", () => {
    const w = newWorld();
    expect(
      thrown(() => createPersonalToken(w.db, w.as("viewer"), { name: "x", expiresInDays: null })),
    ).toMatchObject({ status: 403 });
  });
});

describe("pipeline tokens from the dashboard", () => {
  it("are made by admins only, with the scopes and expiry chosen", () => {
    const w = newWorld();
    const input = { name: "nightly", scopes: ["register", "read"], expiresInDays: 7 };
    expect(thrown(() => createPipelineToken(w.db, w.as("lead"), input))).toMatchObject({
      status: 403,
    });
    const token = createPipelineToken(w.db, w.as("admin"), input);
    expect(token.secret).toMatch(/^mag_/);
    expect(token.expiresAt!.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const actor = actorFromBearer(w.db, token.secret);
    expect(actor).toMatchObject({ type: "token", token: { scopes: ["register", "read"] } });
  });

  it("refuse an unknown scope or an out-of-range expiry with 400 naming the field", () => {
    const w = newWorld();
    const admin = w.as("admin");
    expect(
      thrown(() =>
        createPipelineToken(w.db, admin, { name: "x", scopes: ["root"], expiresInDays: null }),
      ).errors[0],
    ).toMatchObject({ field: "scopes" });
    expect(
      thrown(() =>
        createPipelineToken(w.db, admin, { name: "x", scopes: ["read"], expiresInDays: 0 }),
      ).errors[0],
    ).toMatchObject({ field: "expiresInDays" });
  });

  it("are refused at once after they expire", () => {
    const w = newWorld();
    const token = createPipelineToken(w.db, userActor(w.people.admin), {
      name: "short",
      scopes: ["read"],
      expiresInDays: 1,
    });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 2 * 86_400_000);
    expect(thrown(() => actorFromBearer(w.db, token.secret))).toMatchObject({ status: 401 });
  });
});

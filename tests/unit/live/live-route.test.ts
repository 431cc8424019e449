// GET /api/live, called as the authorisation matrix calls routes: every
// signed-in, active person gets the event stream; anyone else gets 401, the
// refusal is in the audit history, and nothing else changes.
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  auditRows,
  buildWorld,
  ORIGIN,
  PEOPLE,
  signInAs,
  snapshot,
  currentTestSession,
  type AuthzWorld,
} from "../authz/authz-world";

vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => currentTestSession(),
}));

let close: (() => void) | null = null;
afterEach(() => {
  close?.();
  close = null;
});

function world(): AuthzWorld {
  const w = buildWorld();
  close = w.close;
  return w;
}

async function call(headers: Record<string, string> = {}, signal?: AbortSignal) {
  const { GET } = await import("@/app/api/live/route");
  return GET(
    new Request(`${ORIGIN}/api/live`, {
      headers: { host: new URL(ORIGIN).host, ...headers },
      signal,
    }),
  );
}

describe("GET /api/live", () => {
  it.each(PEOPLE)("streams events to a signed-in %s and changes nothing", async (who) => {
    const w = world();
    signInAs(w.people[who]);
    const before = snapshot(w);
    const audit = auditRows(w).length;
    const abort = new AbortController();
    const response = await call({}, abort.signal);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const first = await response.body!.getReader().read();
    expect(new TextDecoder().decode(first.value)).toContain("retry:");
    abort.abort();
    expect(snapshot(w)).toEqual(before);
    expect(auditRows(w).length).toBe(audit);
  });

  it.each([
    ["an anonymous caller", () => ({})],
    ["a disabled person", (w: AuthzWorld) => (signInAs(w.people.disabled), {})],
    ["a pipeline token", (w: AuthzWorld) => ({ authorization: `Bearer ${w.token(["read"])}` })],
  ] as const)("refuses %s with 401 and records the refusal", async (_who, credentials) => {
    const w = world();
    signInAs(null);
    const headers = credentials(w);
    const before = snapshot(w);
    const audit = auditRows(w).length;
    const response = await call(headers);
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(snapshot(w)).toEqual(before);
    expect(
      auditRows(w)
        .slice(audit)
        .map((e) => e.action),
    ).toEqual(["access.refused"]);
  });
});

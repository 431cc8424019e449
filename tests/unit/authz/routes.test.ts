// Every route handler, called with a real Request by every kind of caller:
// allowed callers get the route's answer; everyone else gets 401 or 403,
// nothing in the database changes, and the refusal is in the audit history.
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  auditRows,
  buildWorld,
  CALLERS,
  currentTestSession,
  ORIGIN,
  signInAs,
  snapshot,
  type AuthzWorld,
  type Caller,
} from "./authz-world";
import { ROUTE_MATRIX, type RouteEntry } from "./matrix";

vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => currentTestSession(),
}));

let close: (() => void) | null = null;
afterEach(() => {
  close?.();
  close = null;
});

function world() {
  const w = buildWorld();
  close = w.close;
  return w;
}

type Handler = (req: Request, ctx: { params: Promise<unknown> }) => Promise<Response>;

/** The headers a caller sends; sessions come from the mocked getServerSession. */
function credentialsOf(w: AuthzWorld, entry: RouteEntry, caller: Caller): Record<string, string> {
  signInAs(null);
  const session = (who: keyof AuthzWorld["people"]) => {
    signInAs(w.people[who]);
    return { origin: ORIGIN };
  };
  switch (caller) {
    case "anonymous":
      // No credentials at all. (x-middleware-subrequest, CVE-2025-29927, only
      // means something to a running Next.js server: tests/e2e/authz.spec.ts.)
      return {};
    case "disabled":
      return session("disabled");
    case "tokenWithScope": {
      const scope = entry.scope ?? "read";
      const secret = scope === "personal" ? w.personalToken("eligible") : w.token([scope]);
      return { authorization: `Bearer ${secret}` };
    }
    case "tokenWithoutScope": {
      const scope = entry.scope === "personal" ? "decide" : (entry.scope ?? "read");
      return { authorization: `Bearer ${w.tokenWithout(scope)}` };
    }
    default:
      return session(caller);
  }
}

/** Makes the caller's credentials first (tokens are rows), then returns the call. */
function prepare(w: AuthzWorld, entry: RouteEntry, caller: Caller) {
  const [method] = entry.route.split(" ") as [string];
  const headers = { host: new URL(ORIGIN).host, ...credentialsOf(w, entry, caller) };
  const body = entry.body?.(w);
  return async () => {
    const req = new Request(`${ORIGIN}${entry.url(w)}`, {
      method,
      headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
      body,
    });
    const handler = (await entry.load())[method] as Handler;
    return handler(req, { params: Promise.resolve(entry.params(w)) });
  };
}

function expectedStatus(entry: RouteEntry, caller: Caller): number {
  if (entry.public || entry.allowed.includes(caller)) return entry.okStatus;
  const noCredentials =
    caller === "anonymous" ||
    caller === "disabled" ||
    (entry.sessionOnly && caller.startsWith("token"));
  return noCredentials ? 401 : 403;
}

describe.each(ROUTE_MATRIX.map((e) => [e.route, e] as const))("%s", (_route, entry) => {
  it.each(CALLERS)("answers %s as the matrix says", async (caller) => {
    const w = world();
    const call = prepare(w, entry, caller);
    const before = snapshot(w);
    const auditBefore = auditRows(w).length;

    const response = await call();
    const want = expectedStatus(entry, caller);
    expect(response.status, await response.clone().text()).toBe(want);

    const audit = auditRows(w).slice(auditBefore);
    if (want === 401 || want === 403) {
      expect(snapshot(w)).toEqual(before);
      expect(audit.map((e) => e.action)).toEqual(["access.refused"]);
      if (want === 403 && !caller.startsWith("token")) {
        expect(audit[0]?.actor_id).toBe(w.people[caller as keyof AuthzWorld["people"]].id);
      }
    } else if (entry.writes === "audit") {
      expect(snapshot(w)).toEqual(before);
      expect(audit.map((e) => e.action)).toEqual(entry.audit);
    } else if (entry.writes) {
      expect(snapshot(w)).not.toEqual(before);
      expect(audit.map((e) => e.action)).toEqual(entry.audit);
    } else {
      expect(snapshot(w)).toEqual(before);
      expect(audit).toEqual([]);
    }
  });
});

describe("a cookie-authenticated write from another origin", () => {
  it.each(ROUTE_MATRIX.filter((e) => e.writes === true).map((e) => [e.route, e] as const))(
    "is refused on %s with 403 and changes nothing",
    async (_route, entry) => {
      const w = world();
      const before = snapshot(w);
      signInAs(w.people.admin);
      const [method] = entry.route.split(" ") as [string];
      const req = new Request(`${ORIGIN}${entry.url(w)}`, {
        method,
        headers: { host: new URL(ORIGIN).host, origin: "https://evil.example" },
        body: entry.body?.(w),
      });
      const handler = (await entry.load())[method] as Handler;
      const response = await handler(req, { params: Promise.resolve(entry.params(w)) });
      expect(response.status).toBe(403);
      expect((await response.json()).code).toBe("forbidden:cross_origin");
      expect(snapshot(w)).toEqual(before);
      expect(auditRows(w).at(-1)?.action).toBe("access.refused");
    },
  );
});

describe("a person demoted or disabled while signed in", () => {
  const putPolicy = ROUTE_MATRIX.find(
    (e) => e.route === "PUT /api/v1/models/[name]/environments/[environment]/policy",
  )!;

  it.each([
    ["demoted to reviewer", { role: "reviewer" as const }, 403],
    ["disabled", { disabled: true }, 401],
  ])("is refused at the very next API call when %s", async (_what, change, status) => {
    const w = world();
    const call = prepare(w, putPolicy, "lead");
    const { changeUser } = await import("@/lib/gate/users");
    changeUser(w.db, "test", w.people.lead.email, change);
    const before = snapshot(w);
    const response = await call();
    expect(response.status).toBe(status);
    expect(snapshot(w)).toEqual(before);
  });

  it("stays signed out once enabled again, until they sign in anew", async () => {
    const w = world();
    const call = prepare(w, putPolicy, "lead");
    const { changeUser } = await import("@/lib/gate/users");
    await new Promise((resolve) => setTimeout(resolve, 5));
    changeUser(w.db, "test", w.people.lead.email, { disabled: true });
    changeUser(w.db, "test", w.people.lead.email, { disabled: false });
    const before = snapshot(w);
    expect((await call()).status).toBe(401);
    expect(snapshot(w)).toEqual(before);
    await new Promise((resolve) => setTimeout(resolve, 5));
    signInAs(w.people.lead);
    expect((await call()).status).toBe(201);
  });
});

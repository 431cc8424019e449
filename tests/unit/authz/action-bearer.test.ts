// Server actions read the person from the session cookie only: a call that
// carries an Authorization header and no session (a pipeline token, a
// personal token, even a valid session JWT sent as a bearer) is refused as
// signed out, changes nothing, and is recorded as one access.refused. The
// session is read by next-auth's own getServerSession from the request's
// headers and cookies, as it is in the app; the same call with the session
// cookie succeeds, so the refusals are about the credential's place.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { encode } from "next-auth/jwt";
import type { User } from "@/db/schema";
import { TOKEN_SCOPES } from "@/lib/permissions";
import { auditRows, buildWorld, ORIGIN, snapshot, type AuthzWorld } from "./authz-world";
import { ACTION_MATRIX, type ActionEntry } from "./matrix";

const SECRET = "a test secret that is long enough to sign sessions with";
const SESSION_COOKIE = "next-auth.session-token";

// What the request carries; next/headers and getServerSession read it.
const request: { headers: Record<string, string>; cookies: Record<string, string> } = {
  headers: {},
  cookies: {},
};

vi.mock("next/headers", () => ({
  headers: async () => new Headers(request.headers),
  cookies: async () => ({
    getAll: () => Object.entries(request.cookies).map(([name, value]) => ({ name, value })),
  }),
}));
// next-auth's app-router form reads next/headers through require(), which a
// test cannot reach; its pages form takes the same headers and cookies.
vi.mock("next-auth", async (original) => {
  const real = await original<typeof import("next-auth")>();
  const noResponse = { getHeader() {}, setCookie() {}, setHeader() {} };
  return {
    ...real,
    getServerSession: (options: object) =>
      real.getServerSession(
        { headers: request.headers, cookies: request.cookies } as never,
        noResponse as never,
        options as never,
      ),
  };
});
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const saved = { url: process.env.NEXTAUTH_URL, secret: process.env.NEXTAUTH_SECRET };
beforeAll(() => {
  process.env.NEXTAUTH_URL = ORIGIN;
  process.env.NEXTAUTH_SECRET = SECRET;
});
afterAll(() => {
  for (const [key, value] of Object.entries({
    NEXTAUTH_URL: saved.url,
    NEXTAUTH_SECRET: saved.secret,
  })) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

let close: (() => void) | null = null;
afterEach(() => {
  close?.();
  close = null;
  request.headers = {};
  request.cookies = {};
});

function world() {
  const w = buildWorld();
  close = w.close;
  return w;
}

/** A session JWT exactly as next-auth issues one at sign-in (lib/auth/options.ts's jwt callback). */
const sessionJwt = (user: User) =>
  encode({
    token: { sub: String(user.id), name: user.name, email: user.email, uid: user.id },
    secret: SECRET,
  });

type Action = (prev: null, input: FormData | object) => Promise<{ ok: boolean; message: string }>;

async function run(w: AuthzWorld, entry: ActionEntry) {
  const [, name] = entry.action.split("#") as [string, string];
  const action = (await entry.load())[name] as Action;
  return action(null, entry.input(w));
}

const BEARERS = [
  ["an admin's personal token", (w: AuthzWorld) => w.personalToken("admin")],
  ["a pipeline token holding every scope", (w: AuthzWorld) => w.token([...TOKEN_SCOPES])],
  ["the admin's session JWT itself", (w: AuthzWorld) => sessionJwt(w.people.admin)],
] as const;

// The admin is allowed every action, so only the missing session can refuse.
const ACTIONS = ACTION_MATRIX.map((e) => [e.action, e] as const);

describe.each(ACTIONS)("%s", (_action, entry) => {
  it.each(BEARERS)("refuses a call with only %s as a bearer", async (_what, secretOf) => {
    const w = world();
    expect(entry.allowed).toContain("admin");
    request.headers = { origin: ORIGIN, authorization: `Bearer ${await secretOf(w)}` };
    const before = snapshot(w);
    const auditBefore = auditRows(w).length;

    const result = await run(w, entry);

    expect(result).toEqual({ ok: false, message: "Your session has ended; sign in again." });
    expect(snapshot(w)).toEqual(before);
    const audit = auditRows(w).slice(auditBefore);
    expect(audit.map((e) => [e.action, e.actor_id])).toEqual([["access.refused", null]]);
  });

  it("acts for the admin when the same JWT comes as the session cookie", async () => {
    const w = world();
    request.headers = { origin: ORIGIN };
    request.cookies = { [SESSION_COOKIE]: await sessionJwt(w.people.admin) };
    const result = await run(w, entry);
    expect(result.ok, result.message).toBe(true);
  });
});

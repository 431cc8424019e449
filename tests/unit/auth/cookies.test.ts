// The session cookie next-auth sets with our options: HttpOnly and
// SameSite=Lax always; Secure and the __Secure- prefix when NEXTAUTH_URL is
// https. Runs next-auth's own handler on real Requests (no server needed).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createRequire } from "node:module";
import path from "node:path";
import { insertUser } from "@/db/queries/users";
import { authOptions } from "@/lib/auth/options";
import { resetSignInLimits } from "@/lib/auth/sign-in-limits";
import { memoryDb } from "../helpers/test-db";

vi.mock("@/lib/auth/passwords", () => ({
  verifyPassword: async (password: string, hash: string) => hash === `hash:${password}`,
}));

// next-auth's core handler is not in its package exports; load its file directly.
const { AuthHandler } = createRequire(import.meta.url)(
  path.join(process.cwd(), "node_modules/next-auth/core/index.js"),
) as {
  AuthHandler: (params: { req: Request; options: object }) => Promise<{
    cookies?: unknown[];
    body?: unknown;
  }>;
};

const open = memoryDb();
const globalForDb = globalThis as unknown as { __approvalDb?: unknown };
const saved = { url: process.env.NEXTAUTH_URL, secret: process.env.NEXTAUTH_SECRET };

beforeAll(() => {
  globalForDb.__approvalDb = open.db;
  process.env.NEXTAUTH_SECRET = "a test secret that is long enough to sign with";
  insertUser(open.db, {
    email: "rita@example.com",
    name: "Rita",
    role: "reviewer",
    passwordHash: "hash:right",
  });
});
afterEach(() => resetSignInLimits());
afterAll(() => {
  globalForDb.__approvalDb = undefined;
  process.env.NEXTAUTH_URL = saved.url;
  process.env.NEXTAUTH_SECRET = saved.secret;
  open.close();
});

type Cookie = { name: string; value: string; options: Record<string, unknown> };

async function signIn(base: string): Promise<Cookie[]> {
  process.env.NEXTAUTH_URL = base;
  const options = { ...authOptions, secret: process.env.NEXTAUTH_SECRET };
  const csrf = await AuthHandler({ req: new Request(`${base}/api/auth/csrf`), options });
  const csrfCookie = (csrf.cookies as Cookie[]).find((c) => c.name.includes("csrf-token"));
  const { csrfToken } = csrf.body as { csrfToken: string };
  const answer = await AuthHandler({
    req: new Request(`${base}/api/auth/callback/credentials`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        cookie: `${csrfCookie?.name}=${csrfCookie?.value}`,
      },
      body: JSON.stringify({ csrfToken, email: "rita@example.com", password: "right" }),
    }),
    options,
  });
  return [...(csrf.cookies as Cookie[]), ...(answer.cookies as Cookie[])];
}

describe("the session cookie", () => {
  it("is HttpOnly and SameSite=Lax, not Secure, over plain http", async () => {
    const cookies = await signIn("http://localhost:3000");
    const session = cookies.find((c) => c.name === "next-auth.session-token");
    expect(session?.value).toBeTruthy();
    expect(session?.options).toMatchObject({ httpOnly: true, sameSite: "lax", secure: false });
  });

  it("is Secure with the __Secure- prefix behind https", async () => {
    const cookies = await signIn("https://gate.example.com");
    const session = cookies.find((c) => c.name === "__Secure-next-auth.session-token");
    expect(session?.value).toBeTruthy();
    expect(session?.options).toMatchObject({ httpOnly: true, sameSite: "lax", secure: true });
    // Every cookie next-auth sets is Secure there, the CSRF one included.
    for (const c of cookies) expect(c.options.secure, c.name).toBe(true);
  });
});

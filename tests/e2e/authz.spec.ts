// Calls that skip the page, over real HTTP: a server action replayed without
// a session, from another origin, or with extra fields naming someone else;
// requests carrying x-middleware-subrequest; the session cookie's attributes;
// the sign-in limit's message.
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { openDatabase } from "@/db/client";
import { hashPassword } from "@/lib/auth/passwords";
import { changeUser, createUser } from "@/lib/gate/users";
import { logger } from "@/lib/log";
import { bearer, registerPendingVersion, uniqueModelName } from "./support/api";
import { LoginPage, VersionPage } from "./support/pages";

// The disabled-person test writes through the library in this process.
logger.level = "warn";

type Captured = { url: string; headers: Record<string, string>; body: string };

async function gateStatus(request: APIRequestContext, model: string, version: number) {
  const res = await request.get(`/api/v1/models/${model}/versions/${version}/approval`, {
    headers: bearer(),
  });
  return (await res.json()) as { status: string; request_id: number; approved_by: string[] };
}

/** Clicks Approve and captures the server action POST without letting it through. */
async function captureApprove(page: Page, model: string, version: number): Promise<Captured> {
  let captured: Captured | null = null;
  await page.route(`**/models/${model}/versions/${version}`, async (route) => {
    const req = route.request();
    if (req.method() === "POST" && req.headers()["next-action"]) {
      captured = { url: req.url(), headers: req.headers(), body: req.postData() ?? "" };
      await route.abort();
    } else {
      await route.continue();
    }
  });
  await new VersionPage(page).open(model, version);
  await new VersionPage(page).request().getByRole("button", { name: "Approve" }).click();
  await expect.poll(() => captured).not.toBeNull();
  await page.unroute(`**/models/${model}/versions/${version}`);
  return captured!;
}

/** The captured multipart body, aimed at another request, plus any extra fields. */
function retarget(c: Captured, requestId: number, extra: Record<string, string> = {}): string {
  const boundary = /boundary=(.+)$/.exec(c.headers["content-type"] ?? "")?.[1];
  if (!boundary) throw new Error(`not multipart: ${c.headers["content-type"]}`);
  let body = c.body.replace(/(name="[^"]*requestId"\r\n\r\n)\d+/, `$1${requestId}`);
  const fields = Object.entries(extra)
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join("");
  body = body.replace(`--${boundary}--`, `${fields}--${boundary}--`);
  return body;
}

function replay(request: APIRequestContext, c: Captured, body: string, headers: object) {
  const keep = ["next-action", "next-router-state-tree", "content-type", "accept"];
  const base = Object.fromEntries(keep.filter((k) => c.headers[k]).map((k) => [k, c.headers[k]!]));
  return request.fetch(c.url, { method: "POST", headers: { ...base, ...headers }, data: body });
}

test("a server action replayed without a session, or from another origin, changes nothing", async ({
  page,
  playwright,
  baseURL,
}) => {
  const api = await playwright.request.newContext({ baseURL });
  const model = uniqueModelName("skip-page");
  const shown = await registerPendingVersion(api, model);
  const targetModel = uniqueModelName("skip-other");
  const targetVersion = await registerPendingVersion(api, targetModel);
  const { request_id: targetId } = await gateStatus(api, targetModel, targetVersion);

  await new LoginPage(page).signInAs("reviewer");
  const captured = await captureApprove(page, model, shown);
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const body = retarget(captured, targetId);
  const origin = new URL(baseURL!).origin;

  // No session at all.
  const anonymous = await replay(api, captured, body, { origin });
  expect(anonymous.status()).toBeLessThan(500);
  expect(await anonymous.text()).toContain("Your session has ended; sign in again.");
  expect((await gateStatus(api, targetModel, targetVersion)).status).toBe("pending_review");

  // The reviewer's own cookie, sent by a page on another site.
  const foreign = await replay(api, captured, body, { cookie, origin: "https://evil.example" });
  expect(foreign.ok()).toBe(false);
  expect((await gateStatus(api, targetModel, targetVersion)).status).toBe("pending_review");

  // The same cookie from the dashboard's origin, with fields naming the lead:
  // the decision is Rita's, so the refusals above were not a broken replay.
  const own = await replay(
    api,
    captured,
    retarget(captured, targetId, {
      "1_userId": "1",
      "1_user": "lead@example.com",
    }),
    { cookie, origin },
  );
  expect(own.status()).toBe(200);
  const after = await gateStatus(api, targetModel, targetVersion);
  expect(after.status).toBe("approved");
  expect(after.approved_by).toEqual(["Rita Reviewer"]);
  await api.dispose();
});

test("x-middleware-subrequest opens no page and no API call", async ({ request }) => {
  const skip = {
    "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware",
  };
  for (const path of ["/", "/audit", "/tokens", "/admin/webhooks", "/settings"]) {
    const res = await request.get(path, { headers: skip });
    expect(new URL(res.url()).pathname, path).toBe("/login");
  }
  const api = await request.get("/api/v1/policies/default", { headers: skip });
  expect(api.status()).toBe(401);
  const write = await request.put("/api/v1/policies/default", {
    headers: skip,
    data: "approvals: []",
  });
  expect(write.status()).toBe(401);
});

test("the session cookie is HttpOnly and SameSite=Lax, and not Secure over http", async ({
  page,
}) => {
  await new LoginPage(page).signInAs("viewer");
  const session = (await page.context().cookies()).find(
    (c) => c.name === "next-auth.session-token",
  );
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false });
});

test("sign-in answers an unknown email like a wrong password, and says when to try again", async ({
  page,
}) => {
  const attempt = async (email: string, password: string) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    // The form's own alert (Next.js keeps an empty route announcer with the same role).
    return page.locator("form").getByRole("alert");
  };
  await expect(await attempt("viewer@example.com", "not the password")).toHaveText(
    "Email or password is wrong.",
  );
  const ghost = `ghost-${Date.now()}@example.com`;
  for (let i = 0; i < 5; i++) {
    await expect(await attempt(ghost, `guess ${i}`)).toHaveText("Email or password is wrong.");
  }
  await expect(await attempt(ghost, "guess 6")).toHaveText(
    "Too many failed sign-in attempts. Try again in 15 minutes.",
  );
});

test("a person disabled while signed in is sent to sign in at their very next page, and again after being enabled", async ({
  page,
}) => {
  // A person of this test's own in the e2e server's database, so the demo
  // users stay as the other specs expect them.
  const file = path.resolve(process.env.E2E_DIR ?? "test-results/e2e-server", "approvals.db");
  const { db, sqlite } = openDatabase(file);
  const email = `dora-${Date.now()}@example.com`;
  try {
    createUser(
      db,
      {
        email,
        name: "Dora Reviewer",
        role: "reviewer",
        passwordHash: await hashPassword("pass-dora"),
      },
      "e2e",
    );
    await page.goto("/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("pass-dora");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("current-role")).toHaveText("reviewer");

    changeUser(db, "e2e", email, { disabled: true });
    await page.goto("/");
    await expect(page).toHaveURL(/\/login/);
    // Her session cookie is still there; the API refuses it too.
    const api = await page.request.get("/api/v1/policies/default");
    expect(api.status()).toBe(401);

    // Enabled again, the cookie from before stays dead: she signs in anew.
    changeUser(db, "e2e", email, { disabled: false });
    await page.goto("/");
    await expect(page).toHaveURL(/\/login/);
    expect((await page.request.get("/api/v1/policies/default")).status()).toBe(401);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("pass-dora");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("current-role")).toHaveText("reviewer");
    expect((await page.request.get("/api/v1/policies/default")).status()).toBe(200);
  } finally {
    sqlite.close();
  }
});

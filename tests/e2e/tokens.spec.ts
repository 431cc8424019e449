import { expect, test } from "@playwright/test";
import { bearer, registerPendingVersion, uniqueModelName } from "./support/api";
import { LoginPage } from "./support/pages";

const SECRET = /mag_[A-Za-z0-9_-]{43}/;

test("an admin creates a pipeline token, sees its secret once, and revoking it refuses it at once", async ({
  page,
  request,
}) => {
  await new LoginPage(page).signInAs("admin");
  await page.getByRole("link", { name: "Tokens" }).click();
  const form = page.getByRole("form", { name: "Create pipeline token" });
  await form.getByLabel("Name").fill("nightly-train");
  await form.getByRole("button", { name: "Create pipeline token" }).click();
  await expect(form.getByRole("status")).toContainText("mag_");
  const shown = await form.getByRole("status").textContent();
  const secret = SECRET.exec(shown ?? "")?.[0];
  expect(secret, shown ?? "").toBeTruthy();

  const model = uniqueModelName("token-ui");
  const ok = await request.post(`/api/v1/models/${model}/versions`, {
    headers: bearer(secret),
    data: {},
  });
  expect(ok.status()).toBe(201);

  await page.reload();
  await expect(page.getByText(secret!)).toHaveCount(0);
  const row = page.getByRole("row", { name: /nightly-train/ }).first();
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("revoked");
  const refused = await request.post(`/api/v1/models/${model}/versions`, {
    headers: bearer(secret),
    data: {},
  });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).detail).toBe("The bearer token has been revoked.");
});

test("a reviewer's personal token approves through the API under the browser's rules", async ({
  page,
  request,
}) => {
  const model = uniqueModelName("personal");
  await registerPendingVersion(request, model);
  const gate = await request.get(`/api/v1/models/${model}/versions/1/approval`, {
    headers: bearer(),
  });
  const requestId = (await gate.json()).request_id as number;

  await new LoginPage(page).signInAs("reviewer");
  await page.getByRole("link", { name: "Tokens" }).click();
  const form = page.getByRole("form", { name: "Create personal token" });
  await form.getByLabel("Name").fill("chat-bot");
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(form.getByRole("status")).toContainText("mag_");
  const secret = SECRET.exec((await form.getByRole("status").textContent()) ?? "")?.[0];
  expect(secret).toBeTruthy();

  const url = `/api/v1/requests/${requestId}/decisions`;
  const missing = await request.post(url, {
    headers: bearer(secret),
    data: { decision: "reject" },
  });
  expect(missing.status()).toBe(400);
  expect((await missing.json()).errors[0].field).toBe("comment");

  const approved = await request.post(url, {
    headers: bearer(secret),
    data: { decision: "approve" },
  });
  expect(approved.status()).toBe(201);
  expect(await approved.json()).toMatchObject({
    status: "approved",
    approved_by: ["Rita Reviewer"],
  });
  const again = await request.post(url, { headers: bearer(secret), data: { decision: "approve" } });
  expect(again.status()).toBe(409);

  const register = await request.post(`/api/v1/models/${model}/versions`, {
    headers: bearer(secret),
    data: {},
  });
  expect(register.status()).toBe(403);
});

test("a retried registration with the same Idempotency-Key writes one version, even in parallel", async ({
  request,
}) => {
  const model = uniqueModelName("idem");
  const url = `/api/v1/models/${model}/versions`;
  const headers = { ...bearer(), "idempotency-key": "run-42-register" };
  const data = { metrics: [{ name: "accuracy", value: 0.91 }] };
  const answers = await Promise.all(
    Array.from({ length: 15 }, () => request.post(url, { headers, data })),
  );
  expect(answers.map((a) => a.status())).toEqual(Array(15).fill(201));
  const versions = await Promise.all(answers.map(async (a) => (await a.json()).version));
  expect(new Set(versions)).toEqual(new Set([1]));

  const next = await request.post(url, { headers: bearer(), data: {} });
  expect((await next.json()).version).toBe(2);

  const other = await request.post(url, { headers, data: { metrics: [] } });
  expect(other.status()).toBe(422);
  expect((await other.json()).code).toBe("unprocessable:idempotency_key");
});

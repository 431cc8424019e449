import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { registerPendingVersion, uniqueModelName } from "./support/api";
import { LoginPage } from "./support/pages";
import { askApproval } from "./support/queue-page";
import { screenshotWidths } from "./support/screenshots";

test("filters narrow the audit history and a bad filter says what is wrong", async ({
  page,
  request,
}, testInfo) => {
  const churn = uniqueModelName("churn");
  const ranker = uniqueModelName("ranker");
  await registerPendingVersion(request, churn);
  await registerPendingVersion(request, ranker);

  await new LoginPage(page).signInAs("lead");
  await page.getByRole("link", { name: "Audit history" }).click();
  const filters = page.getByRole("form", { name: "Filter the history" });
  await filters.getByLabel("Model").selectOption(churn);
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`model=${churn}`));
  const rows = page.getByRole("row").filter({ hasNot: page.getByRole("columnheader") });
  await expect(rows.first()).toBeVisible();
  for (const text of await rows.allInnerTexts()) expect(text).toContain(churn);
  await expect(page.getByRole("cell", { name: new RegExp(ranker) })).toHaveCount(0);

  await filters.getByLabel("Action").selectOption("version.registered");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`registered ${churn} v1`);
  await rows
    .first()
    .getByRole("link", { name: `${churn} v1` })
    .click();
  await expect(page).toHaveURL(new RegExp(`/models/${churn}/versions/1$`));
  await page.goBack();

  // Only events from a time in the future: none match.
  const later = await page.evaluate(() => {
    const t = new Date(Date.now() + 86_400_000);
    const pad = (n: number) => String(n).padStart(2, "0");
    return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}T09:00`;
  });
  await filters.getByLabel(/From/).fill(later);
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("No events match these filters.")).toBeVisible();
  await screenshotWidths(page, testInfo, "audit-empty-filter");

  const response = await page.goto("/audit?from=yesterday&actor=Lee%20Lead");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("alert", { name: "Filter errors" })).toHaveText(
    "from: must be a date and time such as 2026-03-03T09:00:00Z",
  );
  await expect(page.getByLabel(/From/)).toHaveAccessibleDescription(
    "from: must be a date and time such as 2026-03-03T09:00:00Z",
  );

  await page.goto("/audit");
  await screenshotWidths(page, testInfo, "audit");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshotWidths(page, testInfo, "audit-dark");
});

test("the actor filter keeps one actor's events and the Until bound leaves out later ones", async ({
  page,
  request,
  baseURL,
}) => {
  const model = uniqueModelName("actors");
  // The pipeline's token registers and asks; then Lee Lead approves.
  const { requestId } = await askApproval(request, model);
  await new LoginPage(page).signInAs("lead");
  const decided = await page.request.post(`/api/v1/requests/${requestId}/decisions`, {
    headers: { origin: baseURL! },
    data: { decision: "approve", comment: "fine by me" },
  });
  expect(decided.status(), await decided.text()).toBe(201);

  await page.goto("/audit");
  const filters = page.getByRole("form", { name: "Filter the history" });
  await filters.getByLabel("Model").selectOption(model);
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`model=${model}`));
  const rows = page.getByRole("row").filter({ hasNot: page.getByRole("columnheader") });
  const registered = rows.filter({ hasText: `registered ${model} v1` });
  const byLead = rows.filter({ hasText: "Lee Lead" });
  await expect(registered).toHaveCount(1);
  await expect(registered).toContainText("token:e2e-pipeline");
  await expect(byLead.first()).toBeVisible();

  await filters.getByLabel("Actor").selectOption("Lee Lead");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/actor=Lee\+Lead/);
  await expect(registered).toHaveCount(0);
  await expect(byLead.first()).toBeVisible();
  for (const text of await rows.allInnerTexts()) expect(text).toContain("Lee Lead");

  // Until the lead's first event (not included): only the pipeline's events are left.
  const csv = await (await page.request.get(`/audit/export?model=${model}`)).text();
  const times = (actor: string) =>
    csv
      .split("\r\n")
      .filter((line) => line.split(",")[3] === actor)
      .map((line) => line.split(",")[1] ?? "")
      .sort();
  const leadFrom = times("Lee Lead")[0]!;
  const pipelineUntil = times("token:e2e-pipeline").at(-1)!;
  // Without this the bound could not tell the two apart.
  expect(Date.parse(pipelineUntil)).toBeLessThan(Date.parse(leadFrom));
  await page.goto(`/audit?model=${model}&to=${encodeURIComponent(leadFrom)}`);
  await expect(registered).toHaveCount(1);
  await expect(byLead).toHaveCount(0);
});

test("an event about a person links to what that person did", async ({ page }) => {
  await new LoginPage(page).signInAs("lead");
  // The demo seed created Rita Reviewer: there is no users page, so her history as actor.
  await page.goto("/audit?action=user.created");
  const created = page.getByRole("row", { name: /created user reviewer@example\.com/ });
  await created.getByRole("link", { name: "user Rita Reviewer" }).click();
  await expect(page).toHaveURL(/\/audit\?actor=Rita\+Reviewer$/);
  await expect(page.getByLabel("Actor")).toHaveValue("Rita Reviewer");
});

test("the CSV download holds the filtered rows and is itself recorded", async ({
  page,
  request,
}) => {
  const model = uniqueModelName("fraud");
  await registerPendingVersion(request, model);
  await registerPendingVersion(request, model);

  await new LoginPage(page).signInAs("admin");
  await page.goto(`/audit?model=${model}&action=version.registered`);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download these events as CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^audit-history-\d{8}T\d{6}Z\.csv$/);
  const lines = fs
    .readFileSync(await download.path(), "utf8")
    .trimEnd()
    .split("\r\n");
  expect(lines[0]).toBe(
    "id,time (UTC),actor type,actor,action,subject,model,summary,details,hash,prev hash",
  );
  expect(lines).toHaveLength(3);
  expect(lines[1]).toContain(`,version.registered,`);
  expect(lines[1]).toContain(`registered ${model} v1`);
  expect(lines[2]).toContain(`registered ${model} v2`);

  await page.goto("/audit?action=audit.exported&actor=Ada%20Admin");
  await expect(page.getByRole("row", { name: /exported 2 audit events as CSV/ })).toHaveCount(1);
});

test("the export is refused to reviewers and to visitors without a session", async ({
  page,
  request,
}) => {
  const anonymous = await request.get("/audit/export");
  expect(anonymous.status()).toBe(401);
  expect(anonymous.headers()["content-type"]).toContain("application/problem+json");

  await new LoginPage(page).signInAs("reviewer");
  const refused = await page.request.get("/audit/export");
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({
    detail: "role reviewer may not read the audit history.",
  });

  // Another site cannot make a lead's browser start an (audited) export.
  await new LoginPage(page).signInAs("lead");
  const crossSite = await page.request.get("/audit/export", {
    headers: { "sec-fetch-site": "cross-site" },
  });
  expect(crossSite.status()).toBe(403);
  expect((await page.request.get("/audit/export")).status()).toBe(200);
});

test("the export checks its query parameters as the page does", async ({ page }) => {
  await new LoginPage(page).signInAs("lead");
  const get = (query: string) => page.request.get(`/audit/export?${query}`);

  const repeated = await get("action=decision.approve&action=decision.reject");
  expect(repeated.status()).toBe(400);
  expect((await repeated.json()).detail).toBe("action: given 2 times; give it once");

  const unknown = await get("until=2026-03-03T00:00:00Z");
  expect(unknown.status()).toBe(400);
  expect((await unknown.json()).detail).toContain("query parameter until is not known; use");

  const noModel = await get("model=nope");
  expect(noModel.status()).toBe(400);
  // Actor and action are matched exactly: no match is an empty CSV, not an error.
  const noAction = await get("action=bogus");
  expect(noAction.status()).toBe(200);
  expect((await noAction.text()).trimEnd().split("\r\n")).toHaveLength(1);
});

test("a reviewer opening the audit page sees why not, and the attempt is recorded", async ({
  page,
}) => {
  await new LoginPage(page).signInAs("reviewer");
  await page.goto("/audit");
  await expect(page.getByRole("main").getByRole("alert")).toContainText(
    "The audit history is for leads and admins.",
  );
  await expect(page.getByRole("table")).toHaveCount(0);

  await new LoginPage(page).signInAs("lead");
  const csv = await (await page.request.get("/audit/export?action=access.refused")).text();
  const rows = csv.split("\n").filter((line) => line.includes("refused page /audit"));
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.at(-1)).toContain("Rita Reviewer");

  // The recorded refusal links to the page that was refused.
  await page.goto("/audit?action=access.refused&actor=Rita%20Reviewer");
  const refusal = page.getByRole("row", { name: /refused page \/audit/ }).first();
  await expect(refusal.getByRole("link", { name: "page /audit" })).toHaveAttribute(
    "href",
    "/audit",
  );
});

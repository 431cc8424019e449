import { expect as baseExpect, test } from "@playwright/test";

// Pages render slowly while other builds share the machine.
const expect = baseExpect.configure({ timeout: 15_000 });
import { bearer, tokens, uniqueModelName } from "./support/api";
import { LoginPage, VersionPage } from "./support/pages";
import { askApproval, askFor, QueuePage } from "./support/queue-page";
import { screenshotWidths } from "./support/screenshots";

test("filters and the model search find names literally and keep the filters in the URL", async ({
  page,
  request,
}, testInfo) => {
  // Model names allow `_` but not quotes or `%` (unit tests cover those with
  // rows written directly); `_` must not act as a one-character wildcard.
  const prefix = uniqueModelName("lit");
  const underscore = `${prefix}-a_b`;
  const lookalike = `${prefix}-axb`;
  await askApproval(request, underscore);
  await askApproval(request, lookalike, "staging");

  await new LoginPage(page).signInAs("reviewer");
  const queue = new QueuePage(page);
  await queue.open();
  await queue.filter({ model: `${prefix}-a_b` });
  await expect(page).toHaveURL(/model=lit-.*-a_b/);
  await expect.poll(() => queue.models()).toEqual([underscore]);

  for (const text of ["%", "%_", "'", '"', "\\"]) {
    await queue.filter({ model: text });
    await expect(queue.requests()).toContainText("No request matches these filters.");
  }

  await queue.filter({ model: prefix });
  await expect.poll(() => queue.models()).toEqual([underscore, lookalike]);
  await queue.filter({ environment: "staging" });
  await expect.poll(() => queue.models()).toEqual([lookalike]);
  await queue.filter({ environment: "", submitter: "e2e-pipeline" });
  await expect.poll(() => queue.models()).toEqual([underscore, lookalike]);
  await queue.filter({ submitter: "Rita" });
  await expect(queue.requests()).toContainText("No request matches these filters.");

  // Back returns to the previous filters.
  await page.goBack();
  await expect(page.getByLabel("Submitter (person or token)")).toHaveValue("e2e-pipeline");
  await expect.poll(() => queue.models()).toEqual([underscore, lookalike]);

  await screenshotWidths(page, testInfo, "queue-filtered");
});

test("a reviewer looks back at decided requests with the status filter", async ({
  page,
  request,
}) => {
  const model = uniqueModelName("looked-back");
  const { version } = await askApproval(request, model);
  await new LoginPage(page).signInAs("reviewer");
  const versionPage = new VersionPage(page);
  await versionPage.open(model, version);
  await versionPage.decide("Approve", "fine");
  await expect(versionPage.request()).toContainText("approved by Rita Reviewer");

  const queue = new QueuePage(page);
  await queue.open(`?model=${model}`);
  await expect(queue.requests()).toContainText("No request matches these filters.");
  await queue.filter({ status: "approved" });
  await expect.poll(() => queue.models()).toEqual([model]);
  await queue.filter({ status: "final" });
  await expect.poll(() => queue.models()).toEqual([model]);
});

test("bad filter values are named on the page instead of failing it", async ({ page }) => {
  await new LoginPage(page).signInAs("viewer");
  const response = await page.goto("/?status=bogus&size=0&after=not-a-cursor&environment=Prod");
  expect(response?.status()).toBe(200);
  const alert = page.getByRole("alert").filter({ hasText: "were ignored" });
  await expect(alert).toContainText("status: must be one of open");
  await expect(alert).toContainText("size: must be at least 1");
  await expect(alert).toContainText("after: not a page link this queue made");
  await expect(alert).toContainText("environment: must be an environment name");
  await expect(page.getByRole("heading", { name: "Review queue" })).toBeVisible();
});

test("pages follow each other in both sort orders, next and previous, without repeats", async ({
  page,
  request,
}) => {
  const prefix = uniqueModelName("paged");
  const models = [1, 2, 3, 4, 5].map((i) => `${prefix}-m${i}`);
  for (const m of models) await askApproval(request, m);

  await new LoginPage(page).signInAs("reviewer");
  const queue = new QueuePage(page);
  const pages = page.getByRole("navigation", { name: "Pages" });
  await queue.open(`?model=${prefix}&size=2`);
  await expect.poll(() => queue.models()).toEqual(models.slice(0, 2));
  await expect(pages.getByRole("link", { name: "← Previous page" })).toHaveCount(0);
  await pages.getByRole("link", { name: "Next page →" }).click();
  await expect.poll(() => queue.models()).toEqual(models.slice(2, 4));
  await pages.getByRole("link", { name: "Next page →" }).click();
  await expect.poll(() => queue.models()).toEqual(models.slice(4));
  await expect(pages.getByRole("link", { name: "Next page →" })).toHaveCount(0);
  await pages.getByRole("link", { name: "← Previous page" }).click();
  await expect.poll(() => queue.models()).toEqual(models.slice(2, 4));
  await pages.getByRole("link", { name: "← Previous page" }).click();
  await expect.poll(() => queue.models()).toEqual(models.slice(0, 2));
  await expect(pages.getByRole("link", { name: "← Previous page" })).toHaveCount(0);

  await queue.filter({ sort: "Newest first" });
  await expect(page).toHaveURL(/sort=newest/);
  await expect.poll(() => queue.models()).toEqual([models[4], models[3]]);
  // A request that arrives while paging is not shown twice and skips no one.
  await pages.getByRole("link", { name: "Next page →" }).click();
  await expect.poll(() => queue.models()).toEqual([models[2], models[1]]);
  await askApproval(request, `${prefix}-m6`);
  await pages.getByRole("link", { name: "Next page →" }).click();
  await expect.poll(() => queue.models()).toEqual([models[0]]);
});

test("the navigation counts open requests and those waiting for the signed-in person", async ({
  page,
  request,
}, testInfo) => {
  await new LoginPage(page).signInAs("reviewer");
  const open = page.getByTestId("nav-open-count");
  const waiting = page.getByTestId("nav-waiting-count");
  const number = async (locator: typeof open) =>
    Number(/\d+/.exec((await locator.textContent()) ?? "")?.[0] ?? "0");
  const before = {
    open: await number(open),
    waiting: (await waiting.count()) ? await number(waiting) : 0,
  };

  const model = uniqueModelName("counted");
  await askApproval(request, model);
  await page.reload();
  await expect(open).toHaveText(`(${before.open + 1} open)`);
  await expect(waiting).toHaveText(`${before.waiting + 1} waiting for you`);

  await waiting.click();
  await expect(page).toHaveURL(/mine=1/);
  await expect(page.getByLabel("Only requests waiting for me")).toBeChecked();
  const queue = new QueuePage(page);
  // Newest first: earlier tests may have left more than a page waiting.
  await queue.filter({ sort: "Newest first" });
  await expect.poll(() => queue.models()).toContain(model);
  await expect(page.getByLabel("Only requests waiting for me")).toBeChecked();
  await expect(page.getByTestId("waiting-summary")).toContainText(`${before.waiting + 1} request`);
  await screenshotWidths(page, testInfo, "queue-waiting-for-me");
  // Dark mode follows the system setting.
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshotWidths(page, testInfo, "queue-waiting-for-me-dark");
  await page.emulateMedia({ colorScheme: "light" });

  await new LoginPage(page).signInAs("viewer");
  await expect(page.getByTestId("nav-waiting-count")).toHaveCount(0);
  await expect(page.getByTestId("nav-open-count")).toHaveText(`(${before.open + 1} open)`);
});

test("the filters work from the keyboard alone", async ({ page, request }) => {
  const model = uniqueModelName("keys");
  await askApproval(request, model);
  await new LoginPage(page).signInAs("reviewer");
  await new QueuePage(page).open();
  await page.getByLabel("Model name contains").focus();
  await page.keyboard.type(model);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`model=${model}`));
  await expect.poll(() => new QueuePage(page).models()).toEqual([model]);
  // Tab reaches the order select, the checkbox and the submit button in turn.
  await page.getByLabel("Order").focus();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Only requests waiting for me")).toBeFocused();
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Apply filters" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/mine=1/);
});

test("a value a hair under its threshold prints with the digits that show it fails", async ({
  page,
  request,
}, testInfo) => {
  const model = uniqueModelName("hair");
  const policy = await request.put(`/api/v1/models/${model}/environments/production/policy`, {
    headers: bearer(tokens().policy),
    data: [
      "auto_approve: [accuracy >= 0.95]",
      "auto_reject: [accuracy < 0.9]",
      "approvals:",
      "  - approvers: [role:reviewer]",
    ].join("\n"),
  });
  expect(policy.status(), await policy.text()).toBe(201);
  const registered = await request.post(`/api/v1/models/${model}/versions`, {
    headers: bearer(),
    data: { metrics: [{ name: "accuracy", value: 0.94996 }] },
  });
  expect(registered.status(), await registered.text()).toBe(201);
  await askFor(request, model, 1, "production");

  await new LoginPage(page).signInAs("reviewer");
  const queue = new QueuePage(page);
  await queue.open(`?model=${model}`);
  const checks = queue.requests().getByRole("row").filter({ hasText: model }).getByRole("listitem");
  // Four decimals would print 0.9500 beside "accuracy >= 0.95" and a fail mark.
  await expect(checks).toHaveText([
    "accuracy 0.94996 (accuracy >= 0.95) ✗ fail",
    "accuracy 0.94996 (floor: accuracy >= 0.9) ✓ pass",
  ]);
  await screenshotWidths(page, testInfo, "queue-hair-threshold");
});

import { expect as baseExpect, test } from "@playwright/test";

// Pages render slowly while other builds share the machine.
const expect = baseExpect.configure({ timeout: 15_000 });
import { uniqueModelName } from "./support/api";
import { LoginPage, VersionPage } from "./support/pages";
import { askApproval, askFor, QueuePage, screenshotBothWidths } from "./support/queue-page";

/** Marks the document, so a test can tell a live refresh from a reload. */
async function markDocument(page: import("@playwright/test").Page) {
  await page.evaluate(
    () => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true),
  );
}
async function expectSameDocument(page: import("@playwright/test").Page) {
  expect(
    await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
  ).toBe(true);
}

test("live updates need a session", async ({ playwright, baseURL }) => {
  const anonymous = await playwright.request.newContext({ baseURL });
  const response = await anonymous.get("/api/live");
  expect(response.status()).toBe(401);
  expect(response.headers()["content-type"]).toContain("application/problem+json");
  await anonymous.dispose();
});

test("a new request appears in an open queue without a reload", async ({ page, request }) => {
  const prefix = uniqueModelName("arrives");
  await new LoginPage(page).signInAs("reviewer");
  const queue = new QueuePage(page);
  await queue.open(`?model=${prefix}`);
  await expect(queue.requests()).toContainText("No request matches these filters.");
  const open = page.getByTestId("nav-open-count");
  const before = Number(/\d+/.exec((await open.textContent()) ?? "")?.[0]);
  await markDocument(page);

  await askApproval(request, `${prefix}-new`);
  await expect.poll(() => queue.models()).toEqual([`${prefix}-new`]);
  await expect(page.getByTestId("live-status")).toHaveText("Updated just now");
  await expect(open).toHaveText(`(${before + 1} open)`);
  await expectSameDocument(page);
});

test("a version page shows another person's decision at once and keeps a half-typed comment", async ({
  page,
  browser,
  baseURL,
}, testInfo) => {
  const model = uniqueModelName("decided-elsewhere");
  const lead = await browser.newContext({ baseURL });
  const leadPage = await lead.newPage();
  const production = await askApproval(leadPage.request, model, "production");
  // The same version also waits for staging: its form is where the reviewer types.
  await askFor(leadPage.request, model, production.version, "staging");

  await new LoginPage(page).signInAs("reviewer");
  const versionPage = new VersionPage(page);
  await versionPage.open(model, production.version);
  await expect(versionPage.request("production")).toContainText("pending review");
  const comment = versionPage.request("staging").getByLabel(/Comment/);
  await comment.fill("Half-way through checking the staging numbers");
  await markDocument(page);

  await new LoginPage(leadPage).signInAs("lead");
  const decided = await leadPage.request.post(
    `/api/v1/requests/${production.requestId}/decisions`,
    {
      headers: { origin: baseURL! },
      data: { decision: "approve", comment: "decided from another browser" },
    },
  );
  expect(decided.status(), await decided.text()).toBe(201);

  await expect(versionPage.request("production")).toContainText("approved by Lee Lead");
  await expect(
    versionPage.request("production").getByRole("button", { name: "Approve" }),
  ).toHaveCount(0);
  await expect(comment).toHaveValue("Half-way through checking the staging numbers");
  await expect(page.getByTestId("live-status")).toHaveText("Updated just now");
  await expectSameDocument(page);
  await screenshotBothWidths(page, testInfo, "version-live-update");
  await lead.close();
});

test("a version page is not refreshed by changes to other versions", async ({ page, request }) => {
  const watched = uniqueModelName("watched");
  const { version } = await askApproval(request, watched);
  await new LoginPage(page).signInAs("reviewer");
  await new VersionPage(page).open(watched, version);
  const status = page.getByTestId("live-status");

  await askApproval(request, uniqueModelName("unrelated"));
  // Long enough for the change to arrive and a refresh to start, were one due.
  await page.waitForTimeout(1_500);
  await expect(status).toHaveText("");

  // The same channel does refresh the page for its own version.
  await askFor(request, watched, version, "staging");
  await expect(status).toHaveText("Updated just now");
  await expect(page.getByRole("region", { name: "Request for staging" })).toBeVisible();
});

test("a comment typed on a request someone else finishes is kept and shown", async ({
  page,
  browser,
  baseURL,
}) => {
  const model = uniqueModelName("finished-elsewhere");
  const lead = await browser.newContext({ baseURL });
  const leadPage = await lead.newPage();
  const production = await askApproval(leadPage.request, model, "production");

  await new LoginPage(page).signInAs("reviewer");
  const versionPage = new VersionPage(page);
  await versionPage.open(model, production.version);
  await versionPage
    .request("production")
    .getByLabel(/Comment/)
    .fill("Checking recall first");

  await new LoginPage(leadPage).signInAs("lead");
  const decided = await leadPage.request.post(
    `/api/v1/requests/${production.requestId}/decisions`,
    { headers: { origin: baseURL! }, data: { decision: "approve" } },
  );
  expect(decided.status(), await decided.text()).toBe(201);

  const notice = versionPage.request("production").getByTestId("unsent-decision");
  await expect(notice).toContainText("The request changed before you sent your decision.");
  await expect(notice).toContainText("Checking recall first");
  await notice.getByRole("button", { name: "Dismiss" }).click();
  await expect(notice).toHaveCount(0);
  await lead.close();
});

test("the loser of a decision race is told their decision was not recorded", async ({
  page,
  browser,
  baseURL,
}) => {
  const model = uniqueModelName("race-lost");
  const lead = await browser.newContext({ baseURL });
  const leadPage = await lead.newPage();
  const production = await askApproval(leadPage.request, model, "production");

  // No live updates: the reviewer's page stays as it was when the race began.
  await page.route("**/api/live", (route) => route.abort());
  await new LoginPage(page).signInAs("reviewer");
  const versionPage = new VersionPage(page);
  await versionPage.open(model, production.version);

  await new LoginPage(leadPage).signInAs("lead");
  const decided = await leadPage.request.post(
    `/api/v1/requests/${production.requestId}/decisions`,
    { headers: { origin: baseURL! }, data: { decision: "reject", comment: "recall too low" } },
  );
  expect(decided.status(), await decided.text()).toBe(201);

  await versionPage.decide("Approve", "Looks fine to me");
  const notice = versionPage.request("production").getByTestId("unsent-decision");
  await expect(notice).toContainText("Your decision was not recorded");
  await expect(notice).toContainText("Looks fine to me");
  await expect(versionPage.request("production")).toContainText("rejected");
  await lead.close();
});

import { expect as baseExpect, test, type Page } from "@playwright/test";

// Pages render slowly while other builds share the machine.
const expect = baseExpect.configure({ timeout: 15_000 });
import { bearer, uniqueModelName } from "./support/api";
import { LoginPage, VersionPage } from "./support/pages";
import { askApproval, askFor, QueuePage } from "./support/queue-page";
import { screenshotWidths } from "./support/screenshots";

/** Marks the document, so a test can tell a live refresh from a reload. */
async function markDocument(page: Page) {
  await page.evaluate(
    () => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true),
  );
}
async function expectSameDocument(page: Page) {
  expect(
    await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
  ).toBe(true);
}

type LiveMessage = { models: string[]; statusBefore: string | null };

/**
 * Records every change message the page's own live stream delivers, with the
 * live status as it read just before the page handled it: a listener added
 * in EventSource's constructor runs before the page's own.
 */
async function recordLiveMessages(page: Page) {
  await page.addInitScript(() => {
    const log: { models: string[]; statusBefore: string | null }[] = [];
    (window as unknown as { __liveMessages: typeof log }).__liveMessages = log;
    const Native = window.EventSource;
    window.EventSource = class extends Native {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        this.addEventListener("change", (event) => {
          const { requests } = JSON.parse((event as MessageEvent<string>).data) as {
            requests: { model: string }[];
          };
          const status = document.querySelector('[data-testid="live-status"]');
          log.push({
            models: requests.map((r) => r.model),
            statusBefore: status?.textContent ?? null,
          });
        });
      }
    };
  });
}

async function liveMessages(page: Page): Promise<LiveMessage[]> {
  return page.evaluate(
    () => (window as unknown as { __liveMessages?: LiveMessage[] }).__liveMessages ?? [],
  );
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
  await screenshotWidths(page, testInfo, "version-live-update");
  await lead.close();
});

test("a decision on a request in an open queue shows without a reload", async ({
  page,
  browser,
  baseURL,
}) => {
  const prefix = uniqueModelName("queue-decided");
  const lead = await browser.newContext({ baseURL });
  const leadPage = await lead.newPage();
  const decidedHere = await askApproval(leadPage.request, `${prefix}-a`);
  await askApproval(leadPage.request, `${prefix}-b`);

  await new LoginPage(page).signInAs("reviewer");
  const queue = new QueuePage(page);
  // Every status, so the decided request stays on screen with its new one.
  await queue.open(`?model=${prefix}&status=all`);
  const row = (model: string) => queue.requests().getByRole("row").filter({ hasText: model });
  await expect(row(`${prefix}-a`)).toContainText("pending review");
  await expect(row(`${prefix}-a`)).toContainText("waiting for you");
  await markDocument(page);

  await new LoginPage(leadPage).signInAs("lead");
  const decided = await leadPage.request.post(
    `/api/v1/requests/${decidedHere.requestId}/decisions`,
    { headers: { origin: baseURL! }, data: { decision: "approve", comment: "decided elsewhere" } },
  );
  expect(decided.status(), await decided.text()).toBe(201);

  await expect(row(`${prefix}-a`)).toContainText("approved");
  await expect(row(`${prefix}-a`)).not.toContainText("waiting for you");
  await expect(row(`${prefix}-b`)).toContainText("waiting for you");
  await expect(page.getByTestId("live-status")).toHaveText("Updated just now");
  await expectSameDocument(page);
  await lead.close();
});

test("a version page is not refreshed by changes to other versions", async ({ page, request }) => {
  const watched = uniqueModelName("watched");
  const unrelated = uniqueModelName("unrelated");
  const { version } = await askApproval(request, watched);
  await recordLiveMessages(page);
  await new LoginPage(page).signInAs("reviewer");
  await new VersionPage(page).open(watched, version);
  const status = page.getByTestId("live-status");

  // The change to another model reaches this page's stream first...
  await askApproval(request, unrelated);
  await expect
    .poll(() => liveMessages(page))
    .toContainEqual(expect.objectContaining({ models: [unrelated] }));
  // ...then one to the watched version, on the same stream, refreshes the page.
  await askFor(request, watched, version, "staging");
  await expect(page.getByRole("region", { name: "Request for staging" })).toBeVisible();
  await expect(status).toHaveText("Updated just now");

  const messages = await liveMessages(page);
  const first = messages.findIndex((m) => m.models.includes(unrelated));
  const own = messages.findIndex((m) => m.models.includes(watched));
  expect(first).toBeGreaterThanOrEqual(0);
  expect(own).toBeGreaterThan(first);
  // Had the unrelated change refreshed the page, the status would have said so by now.
  expect(messages[own]?.statusBefore).toBe("");
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

test("new metrics show on an open version page, and a decision on the old ones is refused", async ({
  page,
  request,
}) => {
  const model = uniqueModelName("metrics-moved");
  const { version } = await askApproval(request, model);
  // Keeps the page's live stream at hand, to cut it later in the test.
  await page.addInitScript(() => {
    const sources: EventSource[] = [];
    (window as unknown as { __sources: EventSource[] }).__sources = sources;
    const Native = window.EventSource;
    window.EventSource = class extends Native {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        sources.push(this);
      }
    };
  });
  const sendAccuracy = async (value: number) => {
    const sent = await request.post(`/api/v1/models/${model}/versions/${version}/metrics`, {
      headers: bearer(),
      data: { metrics: [{ name: "accuracy", value }] },
    });
    expect(sent.status(), await sent.text()).toBe(201);
  };
  await new LoginPage(page).signInAs("reviewer");
  const versionPage = new VersionPage(page);
  await versionPage.open(model, version);
  const panel = versionPage.request("production");
  await expect(panel).toContainText("0.91");
  await markDocument(page);

  await sendAccuracy(0.42);
  await expect(panel).toContainText("0.42");
  await expect(page.getByTestId("live-status")).toHaveText("Updated just now");
  await expectSameDocument(page);

  // A page whose live stream is gone (a dropped connection) still shows 0.42
  // when the numbers move again: approving it is refused, not recorded.
  await page.evaluate(() => {
    for (const source of (window as unknown as { __sources?: EventSource[] }).__sources ?? []) {
      source.close();
    }
  });
  await sendAccuracy(0.13);
  await panel.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByText(/changed after you opened it/)).toBeVisible();
  await expect(panel).toContainText("0.13");
  await expect(panel).toContainText("pending review");
});

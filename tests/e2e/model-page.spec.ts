import { expect, test, type Page } from "@playwright/test";
import { bearer, uniqueModelName } from "./support/api";
import { deployVersions } from "./support/deployments";
import { LoginPage } from "./support/pages";
import { screenshotWidths } from "./support/screenshots";

// A zone far from UTC, so "the viewer's day" differs from the UTC day.
test.use({ timezoneId: "America/Los_Angeles" });

function environment(page: Page, name: string) {
  return page.getByRole("region", { name: new RegExp(`^${name} · live now`) });
}

/** A date as the browser's own calendar sees it, `days` from today. */
async function localDate(page: Page, days: number) {
  return page.evaluate((d) => {
    const t = new Date();
    t.setDate(t.getDate() + d);
    const pad = (n: number) => String(n).padStart(2, "0");
    return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
  }, days);
}

async function askLiveOn(page: Page, day: string) {
  const form = page.getByRole("form", { name: "What was live on a day" });
  await form.getByLabel("What was live on").fill(day);
  await form.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(new RegExp(`on=${day}`));
}

test("a lead rolls back production and sees the timeline, the day's answer and the audit event", async ({
  page,
  request,
}, testInfo) => {
  const model = uniqueModelName("rollback");
  await deployVersions(request, model, 3);

  await new LoginPage(page).signInAs("lead");
  await page.goto(`/models/${model}`);
  const production = environment(page, "production");
  await expect(production).toContainText("live now: v3");
  await production.getByRole("button", { name: "Roll back production from v3 to v2…" }).click();
  const confirm = production.getByRole("form", { name: "Confirm rollback in production" });
  const reason = confirm.getByLabel(/Reason/);
  await expect(reason).toBeFocused();
  await confirm.getByRole("button", { name: "Confirm rollback" }).click();
  await expect(reason).toHaveAccessibleDescription("reason: is required: say why you roll back");
  await expect(production).toContainText("live now: v3");
  await screenshotWidths(page, testInfo, "model-page-rollback-confirm");

  await reason.fill("Error rate doubled after v3");
  await confirm.getByRole("button", { name: "Confirm rollback" }).click();
  await expect(production.getByRole("status")).toHaveText("Rolled back production from v3 to v2.");
  await expect(production).toContainText("live now: v2");
  const newest = production.getByRole("listitem").first();
  await expect(newest).toContainText("v2");
  await expect(newest.getByText("live", { exact: true })).toBeVisible();
  await expect(newest).toContainText("by Lee Lead");
  await expect(newest).toContainText("rollback from v3");
  await expect(newest).toContainText("Error rate doubled after v3");
  await expect(production.getByRole("listitem").nth(1)).toContainText("deployed, replacing v2");

  // The pipeline API now treats v2 as what is live.
  const again = await request.post(`/api/v1/models/${model}/versions/2/deployments`, {
    headers: bearer(),
    data: { environment: "production" },
  });
  expect(await again.json()).toMatchObject({ already_current: true });

  // Today in the viewer's zone: every version went live today, v2 is live now.
  const today = await localDate(page, 0);
  await askLiveOn(page, today);
  // The link names the viewer's zone; the server works out that day's bounds.
  expect(new URL(page.url()).searchParams.get("tz")).toBe("America/Los_Angeles");
  const answer = page.getByRole("status", { name: `Live on ${today}` });
  await expect(answer).toContainText(`Live on ${today} in America/Los_Angeles (your time zone)`);
  await expect(answer).toContainText("today so far");
  await expect(answer).toContainText("production: v2 live now (also live earlier today: v1, v3)");
  await screenshotWidths(page, testInfo, "model-page");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshotWidths(page, testInfo, "model-page-dark");
  await page.emulateMedia({ colorScheme: "light" });

  await askLiveOn(page, await localDate(page, -1));
  await expect(page.getByRole("status", { name: /^Live on/ })).toContainText(
    "production: nothing was deployed yet",
  );

  await page.goto(`/audit?model=${model}&action=deployment.rolled_back`);
  const event = page.getByRole("row", { name: /rolled back/ });
  await expect(event).toHaveCount(1);
  await expect(event).toContainText(
    `rolled back ${model} in production from v3 to v2: Error rate doubled after v3`,
  );
  await event.getByRole("link", { name: `deployment of ${model} v2 · production` }).click();
  await expect(page).toHaveURL(new RegExp(`/models/${model}#deployments-production$`));
});

/** Today's date on the calendar of `zone`, as YYYY-MM-DD. */
function dateIn(zone: string) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(new Date());
}

test("a day link made in Tokyo says Tokyo when opened in Los Angeles, and no link answers a day to come", async ({
  page,
  request,
}) => {
  const model = uniqueModelName("dayzone");
  await deployVersions(request, model, 2);
  await new LoginPage(page).signInAs("viewer");
  const answer = page.getByRole("status", { name: /^Live on/ });

  const tokyo = dateIn("Asia/Tokyo");
  await page.goto(`/models/${model}?on=${tokyo}&tz=Asia/Tokyo`);
  await expect(answer).toContainText(`Live on ${tokyo} in Asia/Tokyo (not your time zone`);
  await expect(answer).not.toContainText("(your time zone)");
  await expect(answer).toContainText("today so far");
  await expect(answer).toContainText("production: v2 live now (also live earlier today: v1)");
  await answer.getByRole("link", { name: `${tokyo} in America/Los_Angeles` }).click();
  await expect(page).toHaveURL(/tz=America%2FLos_Angeles/);
  await expect(answer).toContainText(`${tokyo} in America/Los_Angeles (your time zone)`);

  // An older link's own bounds for another day: ignored, and the link's lack of a zone stated.
  const utc = dateIn("UTC");
  await page.goto(
    `/models/${model}?on=${utc}&start=2020-01-01T00:00:00.000Z&end=2020-01-02T00:00:00.000Z`,
  );
  await expect(answer).toContainText("in UTC (the link names no time zone)");
  await expect(answer).toContainText("they were ignored");
  await expect(answer).toContainText("production: v2 live now");

  await page.goto(`/models/${model}?on=9999-12-31&tz=Asia/Tokyo`);
  await expect(answer).toContainText("9999-12-31 in Asia/Tokyo");
  await expect(answer).toContainText("has not happened yet");
  await expect(answer).not.toContainText("v2");

  await page.goto(`/models/${model}?on=${utc}&tz=Mars/Olympus`);
  await expect(page.getByRole("alert").filter({ hasText: "The date is not usable" })).toContainText(
    "tz: is not a time zone",
  );
});

test("a reviewer sees no rollback button, and calling the action directly is refused", async ({
  page,
  request,
}) => {
  const model = uniqueModelName("norollback");
  await deployVersions(request, model, 2);

  // A lead's attempt without a reason (refused, changes nothing) shows the
  // request the browser sends for the action.
  await new LoginPage(page).signInAs("lead");
  await page.goto(`/models/${model}`);
  const production = environment(page, "production");
  await production.getByRole("button", { name: "Roll back production from v2 to v1…" }).click();
  const [call] = await Promise.all([
    page.waitForRequest((r) => r.method() === "POST" && "next-action" in r.headers()),
    production.getByRole("button", { name: "Confirm rollback" }).click(),
  ]);
  await expect(production.getByLabel(/Reason/)).toHaveAttribute("aria-invalid", "true");

  await new LoginPage(page).signInAs("reviewer");
  await page.goto(`/models/${model}`);
  await expect(production).toContainText("live now: v2");
  await expect(page.getByRole("button", { name: /Roll back/ })).toHaveCount(0);

  const sent = call.headers();
  const replay = await page.request.post(page.url(), {
    headers: {
      "next-action": sent["next-action"] ?? "",
      "content-type": sent["content-type"] ?? "",
      accept: "text/x-component",
      origin: new URL(page.url()).origin,
    },
    data: call.postDataBuffer() ?? "",
  });
  expect(await replay.text()).toContain("role reviewer may not roll back deployments");
  await page.reload();
  await expect(production).toContainText("live now: v2");
  await expect(production.getByRole("listitem")).toHaveCount(2);
});

test("a lead can roll back with the keyboard alone", async ({ page, request }) => {
  const model = uniqueModelName("keys");
  await deployVersions(request, model, 2);
  await new LoginPage(page).signInAs("lead");
  await page.goto(`/models/${model}`);
  const production = environment(page, "production");

  await production.getByRole("button", { name: "Roll back production from v2 to v1…" }).focus();
  await page.keyboard.press("Enter");
  const reason = production.getByLabel(/Reason/);
  await expect(reason).toBeFocused();

  // Confirmed without a reason: refused, and the focus comes back to the reason with its error.
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(reason).toBeFocused();
  await expect(reason).toHaveAccessibleDescription("reason: is required: say why you roll back");
  await expect(production.getByRole("status")).toHaveText(/Not done: one field needs a fix/);
  await expect(production).toContainText("live now: v2");

  await page.keyboard.type("Canary failed");
  await page.keyboard.press("Tab");
  await expect(production.getByRole("button", { name: "Confirm rollback" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(production.getByRole("status")).toHaveText("Rolled back production from v2 to v1.");
  await expect(production).toContainText("Nothing to roll back to");
});

test("a model with 55 versions shows the newest 50, then the older ones, each once", async ({
  page,
  request,
}, testInfo) => {
  const model = uniqueModelName("paged");
  for (let i = 1; i <= 55; i++) {
    const reg = await request.post(`/api/v1/models/${model}/versions`, {
      headers: bearer(),
      data: { metrics: [{ name: "accuracy", value: 0.5 + i / 200 }] },
    });
    expect(reg.status(), await reg.text()).toBe(201);
  }
  await new LoginPage(page).signInAs("viewer");
  await page.goto(`/models/${model}`);
  const versions = page.getByRole("region", { name: "Versions", exact: true });
  const rows = versions.getByRole("row");
  await expect(rows).toHaveCount(51); // the header and 50 versions
  await expect(rows.nth(1)).toContainText("v55");
  await expect(rows.nth(50)).toContainText("v6");
  await expect(versions).toContainText("v55 to v6, newest first.");
  // The chart is drawn once its code has loaded after the page.
  const trend = page.getByRole("region", { name: "Metric across versions" });
  await expect(trend.locator(".recharts-line path").first()).toBeVisible();

  const pages = versions.getByRole("navigation", { name: "Pages of versions" });
  await pages.getByRole("link", { name: "Older versions (before v6)" }).click();
  await expect(page).toHaveURL(/[?&]before=6\b/);
  await expect(rows).toHaveCount(6);
  await expect(versions).toContainText("v5 to v1, newest first.");
  await expect(versions.getByRole("link", { name: "v6", exact: true })).toHaveCount(0);
  await expect(pages.getByRole("link", { name: /Older versions/ })).toHaveCount(0);
  await screenshotWidths(page, testInfo, "model-page-older-versions");

  await pages.getByRole("link", { name: "Newest versions" }).click();
  await expect(rows.nth(1)).toContainText("v55");

  // A cursor that is not a version number says so and shows the newest page.
  await page.goto(`/models/${model}?before=abc`);
  await expect(versions.getByRole("alert")).toContainText("before: must be");
  await expect(rows.nth(1)).toContainText("v55");
});

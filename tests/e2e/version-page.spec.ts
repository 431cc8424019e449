// The version review page as a reviewer reads it: the requester's note,
// the candidate against the live version and the thresholds, learning
// curves (log axis included), parameters and tags against the live
// version, source links and the request's timeline; a 100,000-point series
// sent in ten calls; times for a viewer far from UTC; and a curve whose
// values are all below 0.0001. Screenshots at laptop and phone width are
// saved to test-results/screenshots/ and attached to the report.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { bearer, tokens, uniqueModelName } from "./support/api";
import { LoginPage, VersionPage } from "./support/pages";
import { screenshotWidths } from "./support/screenshots";

const POLICY = `required_metrics: [accuracy]
auto_approve: [accuracy >= 0.95]
auto_reject: [latency_ms > 300]
compare_to_deployed:
  - metric: accuracy
    max_drop: 0.01
approvals:
  - approvers: [role:reviewer]
`;

const SHA = "0123456789abcdef0123456789abcdef01234567";
const NOTE = "Retrained on March data; accuracy dips a little but latency halves.";

async function post(request: APIRequestContext, url: string, data: unknown, status = 201) {
  const res = await request.post(url, { headers: bearer(), data });
  expect(res.status(), await res.text()).toBe(status);
  return res.json();
}

/** v1 approved by the policy and live in production; v2 waiting for a reviewer. */
async function liveAndCandidate(request: APIRequestContext) {
  const model = uniqueModelName("review");
  const saved = await request.put(`/api/v1/models/${model}/environments/production/policy`, {
    headers: bearer(tokens().policy),
    data: POLICY,
  });
  expect(saved.status()).toBe(201);
  const base = `/api/v1/models/${model}/versions`;
  await post(request, base, {
    params: { lr: 0.1, depth: 6, optimizer: "adam" },
    tags: { team: "risk" },
    metrics: [
      { name: "accuracy", value: 0.955 },
      { name: "latency_ms", value: 120 },
      { name: "recall", value: 0.7 },
    ],
  });
  await post(request, `${base}/1/approval`, { environment: "production" });
  await post(request, `${base}/1/deployments`, { environment: "production" });
  await post(request, base, {
    params: { lr: 0.05, depth: 6, dropout: 0.2 },
    tags: { team: "risk", repository_url: "https://github.com/acme/fraud" },
    commit: SHA,
    run_id: "run-42",
    pipeline_run_url: "javascript:alert(document.cookie)",
    source_uri: "s3://models/fraud/2.pkl",
    metrics: [
      { name: "accuracy", value: 0.94996 },
      { name: "latency_ms", value: 60 },
      { name: "f1", value: 0.81 },
      // A loss that touches zero twice: a log axis must show gaps, not nothing.
      ...Array.from({ length: 200 }, (_, step) => ({
        name: "loss",
        value: step === 50 || step === 120 ? 0 : 1 / (step + 1),
        step,
      })),
      ...Array.from({ length: 20 }, (_, step) => ({ name: "dead_units", value: 0, step })),
    ],
  });
  await post(request, `${base}/2/approval`, { environment: "production", note: NOTE });
  return model;
}

test("a reviewer sees the note, the comparison, the diff, safe links and the timeline, then decides", async ({
  page,
  request,
}, testInfo) => {
  const model = await liveAndCandidate(request);
  await new LoginPage(page).signInAs("reviewer");
  const versionPage = new VersionPage(page);
  await versionPage.open(model, 2);

  // The requester's note comes before everything else.
  const note = page.getByTestId("requester-note");
  await expect(note).toContainText("token:e2e-pipeline");
  await expect(note).toContainText("asked for production");
  await expect(note).toContainText(NOTE);
  const noteBox = await note.boundingBox();
  const tableBox = await page.getByRole("table").first().boundingBox();
  expect(noteBox?.y ?? Infinity).toBeLessThan(tableBox?.y ?? 0);

  // Candidate, live value, delta and a mark per threshold. 0.94996 is below
  // 0.95 and says so with digits enough to see it.
  const panel = versionPage.request();
  const accuracy = panel.getByTestId("metric-row-accuracy");
  await expect(accuracy).toContainText("0.94996");
  await expect(accuracy).toContainText("0.95500");
  await expect(accuracy).toContainText("−0.00504");
  await expect(
    accuracy.getByRole("listitem").filter({ hasText: "accuracy >= 0.95" }),
  ).toContainText("✗ fail");
  await expect(
    accuracy.getByRole("listitem").filter({ hasText: "accuracy >= live − 0.01" }),
  ).toContainText("(needs >= 0.94500) ✓ pass");
  await expect(panel.getByTestId("metric-row-latency_ms")).toContainText(
    "60.0120.0−60.0floor: latency_ms <= 300 ✓ pass",
  );
  await expect(panel.getByTestId("metric-row-f1")).toContainText("not checked by the policy");
  await expect(panel.getByTestId("metric-row-recall")).toContainText("—0.7000—");

  // Parameters and tags against v1, the live version.
  const params = panel.getByRole("region", { name: "Parameters against v1 (live)" });
  await expect(params.getByTestId("diff-lr")).toContainText("changed0.1 → 0.05");
  await expect(params.getByTestId("diff-dropout")).toContainText("added0.2");
  await expect(params.getByTestId("diff-optimizer")).toContainText("removedadam");
  await expect(params.getByText("1 unchanged")).toBeVisible();
  const tags = panel.getByRole("region", { name: "Tags against v1 (live)" });
  await expect(tags.getByTestId("diff-repository_url")).toContainText("added");

  // Source: the commit links through the repository tag; javascript: never becomes an href.
  await expect(page.getByRole("link", { name: SHA })).toHaveAttribute(
    "href",
    `https://github.com/acme/fraud/commit/${SHA}`,
  );
  const pipelineRun = page.getByTestId("source-Pipeline run");
  await expect(pipelineRun).toContainText("javascript:alert(document.cookie)");
  await expect(pipelineRun).toContainText("only http(s) addresses become links");
  await expect(pipelineRun.getByRole("link")).toHaveCount(0);
  await expect(page.locator('a[href^="javascript:" i]')).toHaveCount(0);
  await expect(page.getByTestId("source-Source")).toHaveText("s3://models/fraud/2.pkl");

  // The timeline, oldest first, times in the viewer's zone with UTC on hover.
  const timeline = page.getByRole("list", { name: "Timeline" });
  const entries = timeline.getByTestId("timeline-entry");
  await expect(entries.nth(0)).toContainText("Registered");
  await expect(entries.nth(1)).toContainText("Approval requested for production");
  await expect(entries.nth(1)).toContainText(NOTE);
  await expect(entries.nth(2)).toContainText("Policy: pending review");
  await expect(entries.nth(0).locator("time")).toHaveAttribute("title", /UTC$/);

  // A log axis hides the two zero losses as gaps and says so.
  const loss = page.getByRole("region", { name: "loss series" });
  await expect(loss.getByTestId("series-stats")).toContainText("last 0.0050 at step 199");
  await loss.getByLabel("Log").check();
  await expect(loss.getByTestId("series-chart")).toHaveAttribute("data-scale", "log");
  await expect(loss.getByRole("note")).toHaveText(
    "2 points are zero or negative and cannot be drawn on a log axis: shown as gaps.",
  );
  // All zeros: the chart stays linear and drawn, with the reason.
  const dead = page.getByRole("region", { name: "dead_units series" });
  await dead.getByLabel("Log").check();
  await expect(dead.getByTestId("series-chart")).toHaveAttribute("data-scale", "linear");
  await expect(dead.getByRole("note")).toContainText("All 20 points are zero or negative");
  // A flat line has no height, so check the drawn path rather than its visibility.
  await expect(dead.locator(".recharts-line path").first()).toHaveAttribute(
    "d",
    /^M[\d.]+,[\d.]+L/,
  );

  await screenshotWidths(page, testInfo, "version-review");
  // Dark mode follows the system.
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshotWidths(page, testInfo, "version-review-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // Keyboard only: a reject without a comment gets an error tied to the
  // comment box; then write the comment and approve.
  const comment = panel.getByLabel(/Comment/);
  await comment.focus();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await expect(panel.getByRole("button", { name: "Reject" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(comment).toHaveAccessibleDescription(/is required when rejecting/);
  await expect(comment).toHaveAttribute("aria-invalid", "true");
  await comment.focus();
  await page.keyboard.type("Latency halves; the accuracy dip is inside the allowed drop.");
  await page.keyboard.press("Tab");
  await expect(panel.getByRole("button", { name: "Approve" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(versionPage.decisions()).toContainText("Rita Reviewer approved");
  await expect(entries.filter({ has: page.getByText("Approved", { exact: true }) })).toContainText(
    "the accuracy dip",
  );
  await expect(entries.last()).toContainText("Request approved");
});

test("a version with 100,000 points sent in ten calls opens with its chart", async ({
  page,
  request,
}, testInfo) => {
  const model = uniqueModelName("long-run");
  const base = `/api/v1/models/${model}/versions`;
  await post(request, base, { metrics: [{ name: "accuracy", value: 0.9 }] });
  for (let part = 0; part < 10; part++) {
    const metrics = Array.from({ length: 10_000 }, (_, i) => {
      const step = part * 10_000 + i;
      return { name: "loss", value: 2 * Math.exp(-step / 20_000) + 0.01, step };
    });
    await post(request, `${base}/1/metrics`, { metrics });
  }

  await new LoginPage(page).signInAs("viewer");
  const started = Date.now();
  await new VersionPage(page).open(model, 1);
  const loss = page.getByRole("region", { name: "loss series" });
  await expect(loss.locator(".recharts-line path").first()).toBeVisible();
  testInfo.annotations.push({
    type: "timing",
    description: `100,000-point page shown with its chart in ${Date.now() - started} ms`,
  });
  await expect(loss.getByTestId("series-stats")).toContainText("100,000 points");
  await expect(loss.getByTestId("series-stats")).toContainText("at step 99999");
  const drawn = Number(
    /, (\d+) drawn/.exec((await loss.getByTestId("series-stats").textContent()) ?? "")?.[1],
  );
  expect(drawn).toBeGreaterThan(100);
  expect(drawn).toBeLessThanOrEqual(500);
  await screenshotWidths(page, testInfo, "version-100k");
});

test.describe("a viewer far from UTC", () => {
  // UTC+14 all year: the clock reads 14 hours ahead of UTC, often on another day.
  const ZONE = "Pacific/Kiritimati";
  test.use({ timezoneId: ZONE, locale: "en-US" });

  test("reads times in their own zone, with UTC on hover", async ({ page, request }) => {
    const model = uniqueModelName("zone");
    await post(request, `/api/v1/models/${model}/versions`, {
      metrics: [{ name: "accuracy", value: 0.9 }],
    });
    await new LoginPage(page).signInAs("viewer");
    await new VersionPage(page).open(model, 1);

    const registered = page.getByText(/^Registered/).locator("time");
    const iso = (await registered.getAttribute("datetime")) ?? "";
    const shown = { year: "numeric", month: "short", day: "numeric" } as const;
    const clock = { ...shown, hour: "2-digit", minute: "2-digit" } as const;
    const at = new Date(iso);
    const local = at.toLocaleString("en-US", { ...clock, timeZone: ZONE });
    expect(local).not.toBe(at.toLocaleString("en-US", { ...clock, timeZone: "UTC" }));
    await expect(registered).toHaveText(local);
    await expect(registered).toHaveAttribute("title", `${iso.replace("T", " ").slice(0, 19)} UTC`);
  });
});

test("a learning curve below 0.0001 labels its value axis with digits, not 0.0000", async ({
  page,
  request,
}) => {
  const model = uniqueModelName("tiny-loss");
  await post(request, `/api/v1/models/${model}/versions`, {
    metrics: Array.from({ length: 30 }, (_, step) => ({
      name: "loss",
      value: 0.00009 - step * 0.000002,
      step,
    })),
  });
  await new LoginPage(page).signInAs("viewer");
  await new VersionPage(page).open(model, 1);

  const loss = page.getByRole("region", { name: "loss series" });
  await expect(loss.locator(".recharts-line path").first()).toBeVisible();
  const ticks = await loss.locator(".recharts-yAxis-tick-labels text").allTextContents();
  expect(ticks.length).toBeGreaterThan(1);
  expect(new Set(ticks).size).toBe(ticks.length);
  for (const tick of ticks) expect(tick).toMatch(/^0\.0000\d+$/);
});

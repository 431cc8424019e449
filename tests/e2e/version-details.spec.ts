import { expect, test, type Locator, type Page } from "@playwright/test";
import { bearer, tokens, uniqueModelName } from "./support/api";
import { deployVersions } from "./support/deployments";
import { LoginPage, VersionPage } from "./support/pages";
import { QueuePage } from "./support/queue-page";
import { screenshotWidths } from "./support/screenshots";

/**
 * At a laptop and a phone width, a long value keeps most of its section's
 * width and wraps in full lines: thousands of characters, never one a line.
 */
async function expectWrapsAtBothWidths(page: Page, section: Locator, value: Locator) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const box = (await section.boundingBox())!;
    const cell = (await value.boundingBox())!;
    expect(cell.width, `value column at ${width}px`).toBeGreaterThan(box.width * 0.4);
    expect(box.height, `section height at ${width}px`).toBeLessThan(3_000);
  }
}

test("a 100-character parameter name and a 2,000-character value wrap in their columns at both widths", async ({
  page,
  request,
}, testInfo) => {
  const model = uniqueModelName("long-params");
  const key = "k".repeat(100);
  const reg = await request.post(`/api/v1/models/${model}/versions`, {
    headers: bearer(),
    data: { params: { [key]: "v".repeat(2000), lr: 0.1 }, metrics: [] },
  });
  expect(reg.status(), await reg.text()).toBe(201);
  await new LoginPage(page).signInAs("reviewer");
  await new VersionPage(page).open(model, 1);
  const section = page.getByRole("region", { name: "Parameters", exact: true });
  const value = section.getByText("v".repeat(50), { exact: false });
  await expectWrapsAtBothWidths(page, section, value);
  await screenshotWidths(page, testInfo, "version-long-params");
});

test("a changed 2,000-character parameter value keeps most of the diff's width at both widths", async ({
  page,
  request,
}, testInfo) => {
  const model = uniqueModelName("long-diff");
  const key = "k".repeat(100);
  const policy = await request.put(`/api/v1/models/${model}/environments/production/policy`, {
    headers: { ...bearer(tokens().policy), "content-type": "application/yaml" },
    data: "auto_approve: [accuracy >= 0.5]\napprovals:\n  - approvers: [role:reviewer]\n",
  });
  expect(policy.status(), await policy.text()).toBeLessThan(300);
  for (const [n, [value, accuracy]] of [
    ["a".repeat(2000), 0.9],
    ["b".repeat(2000), 0.4],
  ].entries()) {
    const reg = await request.post(`/api/v1/models/${model}/versions`, {
      headers: bearer(),
      data: { params: { [key]: value, lr: n }, metrics: [{ name: "accuracy", value: accuracy }] },
    });
    expect(reg.status(), await reg.text()).toBe(201);
    const ask = await request.post(`/api/v1/models/${model}/versions/${n + 1}/approval`, {
      headers: bearer(),
      data: { environment: "production" },
    });
    expect(ask.status(), await ask.text()).toBe(201);
    if (n > 0) continue;
    const deploy = await request.post(`/api/v1/models/${model}/versions/1/deployments`, {
      headers: bearer(),
      data: { environment: "production" },
    });
    expect(deploy.status(), await deploy.text()).toBe(201);
  }

  await new LoginPage(page).signInAs("reviewer");
  const versionPage = new VersionPage(page);
  await versionPage.open(model, 2);
  const section = versionPage
    .request("production")
    .getByRole("region", { name: "Parameters against v1 (live)" });
  const row = section.getByTestId(`diff-${key}`);
  await expect(row).toContainText("changed");
  const value = row.getByRole("cell").last();
  await expectWrapsAtBothWidths(page, section, value);
  await screenshotWidths(page, testInfo, "version-long-param-diff");
});

test("a value posted without a split shows beside the test-split value the request judges", async ({
  page,
  request,
}) => {
  const model = uniqueModelName("splits");
  const reg = await request.post(`/api/v1/models/${model}/versions`, {
    headers: bearer(),
    data: { metrics: [{ name: "precision", value: 0.91, split: "test" }] },
  });
  expect(reg.status(), await reg.text()).toBe(201);
  const ask = await request.post(`/api/v1/models/${model}/versions/1/approval`, {
    headers: bearer(),
    data: { environment: "production" },
  });
  expect(ask.status(), await ask.text()).toBe(201);
  const added = await request.post(`/api/v1/models/${model}/versions/1/metrics`, {
    headers: bearer(),
    data: { metrics: [{ name: "precision", value: 0.2 }] },
  });
  expect(await added.json()).toMatchObject({ added: 1 });

  await new LoginPage(page).signInAs("reviewer");
  const versionPage = new VersionPage(page);
  await versionPage.open(model, 1);
  const judged = versionPage.request("production").getByTestId("metric-row-precision");
  await expect(judged.getByRole("rowheader")).toHaveText("precision test split");
  await expect(judged).toContainText("0.91");
  const table = page.getByRole("region", { name: "Values by split" });
  const none = table.getByTestId("split-value-precision-none");
  await expect(none.getByRole("cell").first()).toHaveText("(none)");
  expect(Number(await none.getByRole("cell").nth(1).textContent())).toBeCloseTo(0.2);
  await expect(table.getByTestId("split-value-precision-test")).toContainText("judged");
});

test("a metric the policy requires without a threshold reads as required, not unchecked", async ({
  page,
  request,
}) => {
  const model = uniqueModelName("required-only");
  const saved = await request.put(`/api/v1/models/${model}/environments/production/policy`, {
    headers: bearer(tokens().policy),
    data: "required_metrics: [f1]\napprovals:\n  - approvers: [role:reviewer]\n",
  });
  expect(saved.status(), await saved.text()).toBe(201);
  const reg = await request.post(`/api/v1/models/${model}/versions`, {
    headers: bearer(),
    data: { metrics: [{ name: "f1", value: 0.8 }] },
  });
  expect(reg.status()).toBe(201);
  const ask = await request.post(`/api/v1/models/${model}/versions/1/approval`, {
    headers: bearer(),
    data: { environment: "production" },
  });
  expect(ask.status(), await ask.text()).toBe(201);
  await new LoginPage(page).signInAs("reviewer");
  const versionPage = new VersionPage(page);
  await versionPage.open(model, 1);
  const row = versionPage.request("production").getByTestId("metric-row-f1");
  await expect(row).toContainText("required to be recorded, no threshold");
  await expect(row).toContainText("✓ pass");
  await expect(row).not.toContainText("not checked by the policy");
});

test("a pipeline token is named token:<name> on the version, queue, model and audit pages", async ({
  page,
  request,
}) => {
  const model = uniqueModelName("actor-label");
  await deployVersions(request, model, 1);
  const reg = await request.post(`/api/v1/models/${model}/versions`, {
    headers: bearer(),
    data: { metrics: [{ name: "accuracy", value: 0.4 }] },
  });
  expect(reg.status(), await reg.text()).toBe(201);
  const ask = await request.post(`/api/v1/models/${model}/versions/2/approval`, {
    headers: bearer(),
    data: { environment: "production" },
  });
  expect(ask.status(), await ask.text()).toBe(201);
  const label = "token:e2e-pipeline";
  await new LoginPage(page).signInAs("lead");

  await new VersionPage(page).open(model, 2);
  await expect(page.locator("header").getByText(/^Registered .* by /)).toHaveText(
    new RegExp(` by ${label}$`),
  );
  await expect(page.getByTestId("requester-note")).toContainText(label);

  const queue = new QueuePage(page);
  await queue.open(`?model=${model}`);
  await expect(queue.requests().getByRole("row").filter({ hasText: model })).toContainText(label);

  await page.goto(`/models/${model}`);
  const production = page.getByRole("region", { name: /^production · live now/ });
  await expect(production.getByRole("listitem").first()).toContainText(`by ${label}`);

  await page.goto(`/audit?model=${model}`);
  const registered = page.getByRole("row").filter({ hasText: `registered ${model} v2` });
  await expect(registered).toContainText(label);
});

test("a superseded version's diff says v1 is live now and that nothing was live when it closed", async ({
  page,
  request,
}) => {
  const model = uniqueModelName("superseded");
  const policy = await request.put(`/api/v1/models/${model}/environments/production/policy`, {
    headers: { ...bearer(tokens().policy), "content-type": "application/yaml" },
    data: "auto_approve: [accuracy >= 0.5]\napprovals:\n  - approvers: [role:reviewer]\n",
  });
  expect(policy.status(), await policy.text()).toBeLessThan(300);
  const asked: number[] = [];
  for (const [n, accuracy] of [0.9, 0.4, 0.45].entries()) {
    const reg = await request.post(`/api/v1/models/${model}/versions`, {
      headers: bearer(),
      data: { params: { lr: n }, metrics: [{ name: "accuracy", value: accuracy }] },
    });
    expect(reg.status(), await reg.text()).toBe(201);
    const ask = await request.post(`/api/v1/models/${model}/versions/${n + 1}/approval`, {
      headers: bearer(),
      data: { environment: "production" },
    });
    expect(ask.status(), await ask.text()).toBe(201);
    asked.push(((await ask.json()) as { request_id: number }).request_id);
  }
  const deploy = await request.post(`/api/v1/models/${model}/versions/1/deployments`, {
    headers: bearer(),
    data: { environment: "production" },
  });
  expect(deploy.status(), await deploy.text()).toBe(201);

  await new LoginPage(page).signInAs("reviewer");
  const versionPage = new VersionPage(page);
  await versionPage.open(model, 2);
  const panel = versionPage.request("production");
  await expect(panel.getByRole("heading", { level: 3 }).first()).toHaveText(
    "Metrics of v2 against the thresholds " +
      "(nothing was live in production when this request was superseded)",
  );
  const params = page.getByRole("region", { name: /^Parameters against/ });
  await expect(params.getByRole("heading")).toHaveText(
    "Parameters against v1, the previous version, live in production now; " +
      `nothing was live in production when request #${asked[1]} was superseded`,
  );
});

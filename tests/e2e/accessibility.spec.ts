// Every main page, at a laptop and a phone width, in the light and the dark
// scheme: no serious accessibility violation (axe-core's WCAG 2 A/AA rules),
// nothing wider than the screen, and a screenshot kept as a test artifact.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { registerPendingVersion, uniqueModelName } from "./support/api";
import { LoginPage } from "./support/pages";
import { saveScreenshot, WIDTHS } from "./support/screenshots";

const SCHEMES = ["light", "dark"] as const;

async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

/** True when something on the page is wider than the window (sideways scrolling). */
async function overflowsSideways(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

/** The audit row of the long-named model keeps its action on whole words, not squeezed. */
async function expectActionReadable(page: Page) {
  const row = page
    .getByRole("row")
    .filter({ hasText: `registered ${model} v` })
    .first();
  await expect(row).toBeVisible();
  const action = row.getByRole("cell").nth(2);
  await expect(action).toHaveText("version.registered");
  // "version." and "registered" each fit: the cell is at least as wide as "registered".
  const width = await action.evaluate((el) => el.getBoundingClientRect().width);
  expect.soft(width, "action column width").toBeGreaterThan(60);
}

let model = "";
let version = 0;

test.beforeAll(async ({ request }) => {
  // The longest valid name, without a hyphen to break at: every page must wrap it.
  model = uniqueModelName("a11y").replace(/-/g, "").padEnd(100, "a");
  version = await registerPendingVersion(request, model);
});

for (const scheme of SCHEMES) {
  for (const width of WIDTHS) {
    test(`main pages pass axe at ${width}px in ${scheme}`, async ({ page }, info) => {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      const pages: [string, string][] = [
        ["queue", "/"],
        ["models", "/models"],
        ["model", `/models/${model}`],
        ["version", `/models/${model}/versions/${version}`],
        ["policy", `/models/${model}/policies/production`],
        ["audit", "/audit"],
        ["settings", "/settings"],
        ["tokens", "/tokens"],
        ["webhooks", "/admin/webhooks"],
      ];
      await page.goto("/login");
      expect.soft(await seriousViolations(page), "login").toEqual([]);
      await saveScreenshot(page, info, `login-${width}-${scheme}`);
      await new LoginPage(page).signInAs("admin");
      for (const [name, url] of pages) {
        await page.goto(url);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await page.waitForLoadState("networkidle");
        expect.soft(await seriousViolations(page), name).toEqual([]);
        expect.soft(await overflowsSideways(page), `${name} scrolls sideways`).toBe(false);
        if (name === "audit") await expectActionReadable(page);
        await saveScreenshot(page, info, `${name}-${width}-${scheme}`);
      }
    });
  }
}

test("the dark scheme follows the system setting", async ({ page }) => {
  await page.goto("/login");
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: "light" });
  const light = await background();
  await page.emulateMedia({ colorScheme: "dark" });
  const dark = await background();
  expect(dark).not.toEqual(light);
});

test("a reviewer decides with the keyboard alone", async ({ page, request }) => {
  const name = uniqueModelName("keyboard");
  const v = await registerPendingVersion(request, name);
  await new LoginPage(page).signInAs("reviewer");
  await page.goto(`/models/${name}/versions/${v}`);
  const form = page.getByRole("form", { name: /Decide request/ });

  // Reject without a comment: the error is tied to the field it is about.
  const comment = form.getByLabel(/Comment/);
  await comment.focus();
  await page.keyboard.press("Tab"); // Approve
  await page.keyboard.press("Tab"); // Reject
  await expect(form.getByRole("button", { name: "Reject" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(comment).toHaveAttribute("aria-invalid", "true");
  await expect(comment).toHaveAccessibleDescription(/comment/i);

  // From the top of the page, Tab reaches the Approve button.
  await page.keyboard.press("Control+Home");
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const approve = form.getByRole("button", { name: "Approve" });
  let reached = false;
  for (let i = 0; i < 80 && !reached; i += 1) {
    await page.keyboard.press("Tab");
    reached = await approve.evaluate((el) => el === document.activeElement);
  }
  expect(reached).toBe(true);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("list", { name: "Decisions" })).toContainText("approved");
});

test("every page has an icon, and /favicon.ico finds it", async ({ page, request }) => {
  await page.goto("/login");
  const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(href).toMatch(/^\/icon\.svg/);
  const icon = await request.get(href ?? "");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
  const favicon = await request.get("/favicon.ico");
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()["content-type"]).toContain("image/svg+xml");
});

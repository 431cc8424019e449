// Full-page screenshots at a laptop and a phone width, saved under
// test-results/screenshots/ and attached to the test's report.
import path from "node:path";
import type { Page, TestInfo } from "@playwright/test";

export const WIDTHS = [1280, 390] as const;

export async function screenshotWidths(page: Page, testInfo: TestInfo, name: string) {
  const before = page.viewportSize();
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await saveScreenshot(page, testInfo, `${name}-${width}`);
  }
  if (before) await page.setViewportSize(before);
}

/** One full-page screenshot as it is now, kept as a file and in the report. */
export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string) {
  const file = path.join("test-results", "screenshots", `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

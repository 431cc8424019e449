// Full-page screenshots at a laptop and a phone width, saved under
// test-results/screenshots/ and attached to the test's report. Every spec
// uses these, so all pictures are taken the same way.
import path from "node:path";
import type { Page, TestInfo } from "@playwright/test";

export const WIDTHS = [1280, 390] as const;

/** Screenshots at each of WIDTHS as `<name>-<width>.png`; the viewport is put back after. */
export async function screenshotWidths(page: Page, testInfo: TestInfo, name: string) {
  const before = page.viewportSize();
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await layoutSettled(page);
    await saveScreenshot(page, testInfo, `${name}-${width}`);
  }
  if (before) await page.setViewportSize(before);
}

/**
 * Two animation frames: in the first, resize observers (recharts'
 * ResponsiveContainer) see the new width and ask React to redraw; by the
 * second that drawing is on screen.
 */
async function layoutSettled(page: Page) {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
      ),
  );
}

/** One full-page screenshot as it is now, kept as a file and in the report. */
export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string) {
  const file = path.join("test-results", "screenshots", `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

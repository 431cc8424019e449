import { defineConfig } from "@playwright/test";

const port = process.env.E2E_PORT ?? "3210";

export default defineConfig({
  testDir: "tests/e2e",
  // One server and one database: tests run one after another.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    screenshot: "only-on-failure",
    trace: "off",
    launchOptions: {
      // Debian's Chromium: Playwright's own browser downloads fail here.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    command: "npx tsx scripts/e2e-server.ts",
    url: `http://localhost:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: { E2E_PORT: port, LOG_LEVEL: "warn" },
  },
});

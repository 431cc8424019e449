import { spawn } from "node:child_process";
import { expect, test } from "@playwright/test";
import { tokens } from "./support/api";
import { LoginPage, VersionPage } from "./support/pages";

// The real example pipeline (Debian's python3-sklearn) against the built
// server: it trains, registers, requests approval and blocks on the gate
// until a reviewer decides in the browser.
test("the sklearn pipeline blocks until a reviewer approves in the browser, then exits 0", async ({
  page,
  baseURL,
}) => {
  const child = spawn(
    "/usr/bin/python3",
    [
      "examples/sklearn-pipeline/pipeline.py",
      "--url",
      baseURL ?? "",
      "--dataset",
      "breast_cancer",
      "--classifiers",
      "logreg,random_forest",
      "--poll",
      "5",
      "--wait-timeout",
      "90",
    ],
    { env: { ...process.env, APPROVAL_GATE_TOKEN: tokens().pipeline } },
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));

  // logreg passes the demo policy's auto-approval; random_forest waits for a person.
  await expect.poll(() => output, { timeout: 60_000 }).toMatch(/v1 \(logreg\): approved/);
  await expect
    .poll(() => output, { timeout: 60_000 })
    .toMatch(/v2 \(random_forest\): pending_review/);
  await page.waitForTimeout(2000);
  expect(child.exitCode, `pipeline exited early:\n${output}`).toBeNull();

  await new LoginPage(page).signInAs("reviewer");
  const versionPage = new VersionPage(page);
  await versionPage.open("breast-cancer-screening", 2);
  await versionPage.decide("Approve", "Random forest is acceptable as a fallback.");
  await expect(versionPage.decisions()).toContainText("Rita Reviewer approved");

  const code = await exited;
  expect(code, output).toBe(0);
  expect(output).toMatch(/v2 \(random_forest\): approved/);
  expect(output).toMatch(/deployed breast-cancer-screening v1 \(logreg\) to production/);
});

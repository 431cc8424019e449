import { spawn } from "node:child_process";
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { tokens, uniqueModelName } from "./support/api";
import { LoginPage, VersionPage } from "./support/pages";

type Run = { code: number | null; stdout: string; stderr: string };

// The CLI as a CI job runs it: `node cli/approval-gate.mjs ...` with the
// gate's URL and token in the environment.
function cli(baseURL: string | undefined, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["cli/approval-gate.mjs", ...args], {
      env: {
        ...process.env,
        APPROVAL_GATE_URL: baseURL ?? "",
        APPROVAL_GATE_TOKEN: tokens().pipeline,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

test("the CLI gate times out, fails on a rejection and passes on an approval from the browser", async ({
  page,
  baseURL,
}, testInfo) => {
  const model = uniqueModelName("cli-gate");
  const metricsFile = testInfo.outputPath("metrics.json");
  fs.writeFileSync(
    metricsFile,
    JSON.stringify([
      { name: "accuracy", value: 0.91, split: "test" },
      { name: "auc", value: 0.95, split: "test" },
    ]),
  );
  const target = (version: string) => ["--model", model, "--version", version];

  const registered = await cli(baseURL, [
    "register",
    "--model",
    model,
    "--metrics-file",
    metricsFile,
    "--param",
    "C=0.5",
    "--source-uri",
    "s3://models/cli-1.pkl",
  ]);
  expect(registered.code, registered.stderr).toBe(0);
  const v1 = registered.stdout.trim();
  expect(v1).toBe("1");
  expect(registered.stderr).toContain(`registered ${model} v1 with 2 metrics`);

  const requested = await cli(baseURL, ["request", ...target(v1), "--note", "CLI e2e"]);
  expect(requested.code, requested.stderr).toBe(0);
  expect(requested.stdout).toContain(`${model} v1 (production): pending_review`);

  // Nobody decides: the gate step gives up with exit 2.
  const timedOut = await cli(baseURL, ["wait", ...target(v1), "--timeout", "5", "--poll", "2"]);
  expect(timedOut.code, timedOut.stdout + timedOut.stderr).toBe(2);
  expect(timedOut.stdout).toContain(
    `gave up after 5s (--timeout): ${model} v1 is still pending_review`,
  );

  // A waiting gate step fails as soon as a reviewer rejects in the browser.
  const rejectedWait = cli(baseURL, ["wait", ...target(v1), "--timeout", "90", "--poll", "5"]);
  await new LoginPage(page).signInAs("reviewer");
  const versionPage = new VersionPage(page);
  await versionPage.open(model, 1);
  await versionPage.decide("Reject", "AUC is below what production needs.");
  await expect(versionPage.decisions()).toContainText("Rita Reviewer rejected");
  const rejected = await rejectedWait;
  expect(rejected.code, rejected.stdout + rejected.stderr).toBe(1);
  expect(rejected.stdout).toContain(`${model} v1 (production): rejected`);
  expect(rejected.stdout).toContain("Rita Reviewer rejected at");
  expect(rejected.stdout).toContain("AUC is below what production needs.");
  expect(rejected.stdout).toContain("on_reject: fail_pipeline");

  const refused = await cli(baseURL, ["deployed", ...target(v1)]);
  expect(refused.code, refused.stderr).toBe(1);
  expect(refused.stderr).toContain("not deployed:");

  // The next version, metrics given as flags, is approved: exit 0, then deployed.
  const second = await cli(baseURL, [
    "register",
    "--model",
    model,
    "--metric",
    "accuracy=0.95@test",
    "--metric",
    "auc=0.98@test",
  ]);
  expect(second.code, second.stderr).toBe(0);
  const v2 = second.stdout.trim();
  expect(v2).toBe("2");
  expect((await cli(baseURL, ["request", ...target(v2)])).code).toBe(0);

  const approvedWait = cli(baseURL, ["wait", ...target(v2), "--timeout", "90", "--json"]);
  await versionPage.open(model, 2);
  await versionPage.decide("Approve", "Better on every metric.");
  await expect(versionPage.decisions()).toContainText("Rita Reviewer approved");
  const approved = await approvedWait;
  expect(approved.code, approved.stdout + approved.stderr).toBe(0);
  expect(JSON.parse(approved.stdout)).toMatchObject({
    model,
    version: 2,
    environment: "production",
    status: "approved",
    approved_by: ["Rita Reviewer"],
  });

  const deployed = await cli(baseURL, ["deployed", ...target(v2)]);
  expect(deployed.code, deployed.stderr).toBe(0);
  expect(deployed.stdout).toMatch(
    new RegExp(`^recorded deployment \\d+: ${model} v2 to production\\n$`),
  );
  const status = await cli(baseURL, ["status", ...target(v2)]);
  expect(status.code).toBe(0);
  expect(status.stdout).toContain(`${model} v2 (production): approved - approved by Rita Reviewer`);
});

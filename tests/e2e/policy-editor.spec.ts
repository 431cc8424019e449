import { expect, test, type Page } from "@playwright/test";
import { bearer, uniqueModelName } from "./support/api";
import { LoginPage } from "./support/pages";

async function typePolicy(page: Page, text: string) {
  const editor = page.getByLabel("Policy (YAML)");
  await editor.fill(text);
}

test("a lead sees errors as they type, dry-runs a policy against past versions, then saves it", async ({
  page,
  request,
}) => {
  const model = uniqueModelName("editor");
  for (const accuracy of [0.93, 0.85, 0.99]) {
    const res = await request.post(`/api/v1/models/${model}/versions`, {
      headers: bearer(),
      data: { metrics: [{ name: "accuracy", value: accuracy, split: "test" }] },
    });
    expect(res.status()).toBe(201);
  }

  await new LoginPage(page).signInAs("lead");
  await page.goto(`/models/${model}`);
  await page
    .getByRole("navigation", { name: "Policies" })
    .getByRole("link", { name: "production" })
    .click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`production policy of ${model}`);

  await typePolicy(
    page,
    "auto_approve: [accuracy >= 0.95]\napprovals:\n  - approvers: team_lead\n",
  );
  const errors = page.getByRole("list", { name: "Policy errors" });
  await expect(errors).toContainText("Line 3: approvals.0.approvers: must be a list, not a string");
  await expect(page.getByRole("button", { name: "Dry run" })).toBeDisabled();

  await typePolicy(
    page,
    "auto_approve: [accuracy >= 0.95]\nauto_reject: [accuracy < 0.9]\napprovals:\n  - approvers: [group:risk]\n",
  );
  await expect(errors).toContainText("needs 1 distinct approval but only 0 active people");

  // Create the group the policy names, then the same text becomes valid.
  await page.goto("/settings");
  const groupForm = page.getByRole("form", { name: "Create group" });
  await groupForm.getByLabel("Name").fill(`risk`);
  await groupForm.getByRole("button", { name: "Create group" }).click();
  await expect(groupForm.getByRole("status")).toContainText(/Created group risk|already exists/);
  const members = page.getByRole("form", { name: "Change members of risk" });
  await members.getByLabel("Person").selectOption("reviewer@example.com");
  await members.getByRole("button", { name: "Apply" }).click();
  await expect(members.getByRole("status")).toContainText(/Added reviewer@example.com|already in/);

  await page.goto(`/models/${model}/policies/production`);
  await typePolicy(
    page,
    "auto_approve: [accuracy >= 0.95]\nauto_reject: [accuracy < 0.9]\napprovals:\n  - approvers: [group:risk]\n",
  );
  await expect(page.getByText("The policy is valid.")).toBeVisible();
  await page.getByRole("button", { name: "Dry run" }).click();
  const dryRun = page.getByRole("region", { name: "Dry run" });
  await expect(dryRun).toContainText(
    "Against the last 3 versions this policy would have approved v3, rejected v2, sent v1 to review.",
  );
  await expect(dryRun.getByRole("row", { name: /v2/ })).toContainText("accuracy < 0.9 (was 0.85)");

  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByRole("status")).toContainText("Saved revision 1");
  const saved = await request.get(`/api/v1/models/${model}/environments/production/policy`, {
    headers: bearer(),
  });
  expect(await saved.json()).toMatchObject({ revision: 1, scope: "environment" });
});

test("a reviewer reads a policy but cannot edit it", async ({ page, request }) => {
  const model = uniqueModelName("readonly");
  await request.post(`/api/v1/models/${model}/versions`, { headers: bearer(), data: {} });
  await new LoginPage(page).signInAs("reviewer");
  await page.goto(`/models/${model}/policies/production`);
  await expect(page.getByText("Only leads and admins can change policies.")).toBeVisible();
  await expect(page.getByLabel("Policy (YAML)")).toHaveCount(0);
  await expect(page.getByText("approvers: [role:reviewer]")).toBeVisible();
});

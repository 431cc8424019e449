import { expect, test } from "@playwright/test";
import { registerPendingVersion, uniqueModelName } from "./support/api";
import { LoginPage, VersionPage } from "./support/pages";

test("a reviewer approves a pending version and a lead finds the decision in the audit history", async ({
  page,
  request,
}) => {
  const model = uniqueModelName("churn");
  const version = await registerPendingVersion(request, model);

  await new LoginPage(page).signInAs("reviewer");
  await expect(page.getByRole("link", { name: model })).toBeVisible();
  await page.getByRole("link", { name: model }).click();
  const versionPage = new VersionPage(page);
  await expect(versionPage.request()).toContainText("pending review");
  await versionPage.decide("Approve", "Metrics look fine for production.");
  await expect(versionPage.decisions()).toContainText("Rita Reviewer approved");
  await expect(versionPage.request()).toContainText("approved by Rita Reviewer");
  await expect(versionPage.request().getByRole("button", { name: "Approve" })).toHaveCount(0);

  await new LoginPage(page).signInAs("lead");
  await page.getByRole("link", { name: "Audit history" }).click();
  await expect(page.getByTestId("chain-state")).toContainText("Hash chain intact");
  const row = page.getByRole("row", {
    name: new RegExp(`Rita Reviewer approved ${model} v${version}`),
  });
  await expect(row).toContainText("decision.approve");
  await expect(
    page.getByRole("row", { name: new RegExp(`${model} v${version} approved by Rita Reviewer`) }),
  ).toBeVisible();
});

test("rejecting without a comment is refused with a labelled error and records nothing", async ({
  page,
  request,
}) => {
  const model = uniqueModelName("fraud");
  const version = await registerPendingVersion(request, model);

  await new LoginPage(page).signInAs("reviewer");
  const versionPage = new VersionPage(page);
  await versionPage.open(model, version);
  await versionPage.decide("Reject");
  await expect(versionPage.request().getByText("is required when rejecting")).toBeVisible();
  await page.reload();
  await expect(versionPage.request()).toContainText("No decision yet.");
  await expect(versionPage.request()).toContainText("pending review");
});

test("a keyboard user who rejects without a comment lands on the comment, told why", async ({
  page,
  request,
}) => {
  const model = uniqueModelName("keyreject");
  const version = await registerPendingVersion(request, model);

  await new LoginPage(page).signInAs("reviewer");
  const versionPage = new VersionPage(page);
  await versionPage.open(model, version);
  const panel = versionPage.request();
  const comment = panel.getByLabel(/Comment/);
  await comment.focus();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await expect(panel.getByRole("button", { name: "Reject" })).toBeFocused();
  await page.keyboard.press("Enter");

  // Back on the comment, which a screen reader reads with its error.
  await expect(comment).toBeFocused();
  await expect(comment).toHaveAccessibleDescription(/is required when rejecting/);
  await expect(panel.getByRole("status")).toHaveText(/Not done: one field needs a fix/);

  await page.keyboard.type("Trained on leaked labels");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(versionPage.decisions()).toContainText("Rita Reviewer rejected");
});

test("a viewer sees a pending version with no way to decide and the reason why", async ({
  page,
  request,
}) => {
  const model = uniqueModelName("ranker");
  const version = await registerPendingVersion(request, model);

  await new LoginPage(page).signInAs("viewer");
  await expect(page.getByRole("heading", { name: "Review queue" })).toBeVisible();
  await expect(page.getByText("Nothing is waiting for you.")).toBeVisible();
  const versionPage = new VersionPage(page);
  await versionPage.open(model, version);
  await expect(versionPage.request().getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expect(versionPage.request().getByRole("button", { name: "Reject" })).toHaveCount(0);
  await expect(versionPage.request().getByTestId("cannot-decide")).toContainText(
    "Viewers can read requests but not decide",
  );
  await page.goto("/audit");
  await expect(page.getByText("The audit history is for leads and admins.")).toBeVisible();
});

test("a visitor without a session is sent to sign in", async ({ page }) => {
  await page.context().clearCookies();
  await page.goto("/models");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill("reviewer@example.com");
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Email or password is wrong.")).toBeVisible();
});

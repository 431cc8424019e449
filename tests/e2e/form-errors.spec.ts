// The small forms shared by the tokens, groups and webhooks pages: a field the
// server refuses takes the focus and is described by the refusal.
import { expect, test } from "@playwright/test";
import { LoginPage } from "./support/pages";

test("a refused token name takes the focus, described by why", async ({ page }) => {
  await new LoginPage(page).signInAs("reviewer");
  await page.goto("/tokens");
  const form = page.getByRole("form", { name: "Create personal token" });
  const name = form.getByLabel("Name");
  await name.fill("not a name!");
  await name.press("Enter");

  await expect(name).toBeFocused();
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(name).toHaveAccessibleDescription(/Token name must be 1-80 letters/);
  await expect(form.getByRole("status")).toHaveText(/Token name must be 1-80 letters/);

  await name.fill("chat-bot");
  await name.press("Enter");
  await expect(form.getByRole("status")).toContainText("Created chat-bot");
  await expect(name).not.toHaveAttribute("aria-invalid", "true");
});

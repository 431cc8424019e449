// Keyboard users skip the navigation: the first Tab on a page reaches a
// "Skip to main content" link, which moves the focus into the page's content.
import { expect, test } from "@playwright/test";
import { LoginPage } from "./support/pages";

for (const path of ["/", "/models"]) {
  test(`the first Tab on ${path} reaches the skip link, which moves focus to the content`, async ({
    page,
  }) => {
    await new LoginPage(page).signInAs("lead");
    await page.goto(path);

    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to main content" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeVisible();

    await page.keyboard.press("Enter");
    await expect(page.getByRole("main")).toBeFocused();
    // The next Tab goes on inside the content, not back through the navigation.
    await page.keyboard.press("Tab");
    await expect(page.getByRole("main").locator(":focus")).toHaveCount(1);
    await expect(page.getByRole("navigation", { name: "Main" }).locator(":focus")).toHaveCount(0);
  });
}

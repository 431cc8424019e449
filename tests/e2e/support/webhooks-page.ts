// Page object for the admin's webhooks page.
import { expect, type Page } from "@playwright/test";

export class WebhooksPage {
  constructor(private readonly page: Page) {}

  async openFromNav() {
    await this.page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", {
        name: "Webhooks",
      })
      .click();
    await expect(this.page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
  }

  /** Adds a webhook for exactly `events`; returns the secret the page shows once. */
  async add(url: string, events: string[]): Promise<string> {
    const form = this.page.getByRole("form", { name: "Add webhook" });
    await form.getByLabel("URL").fill(url);
    for (const box of await form.getByRole("checkbox").all()) {
      const name = (await box.getAttribute("value")) ?? "";
      await box.setChecked(events.includes(name));
    }
    await form.getByRole("button", { name: "Add webhook" }).click();
    await expect(form.getByRole("status")).toContainText("Added webhook");
    return this.page.getByLabel(/Signing secret/).inputValue();
  }

  webhook(url: string) {
    return this.page.getByRole("region", { name: /^Webhook #/ }).filter({ hasText: url });
  }

  delivery(url: string, event: string) {
    return this.webhook(url).getByRole("row").filter({ hasText: event });
  }
}

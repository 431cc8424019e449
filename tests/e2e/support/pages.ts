// Page objects: what a person does on each page, by role and label.
import { expect, type Page } from "@playwright/test";

export const PASSWORDS = {
  admin: ["admin@example.com", "admin-demo-pass"],
  lead: ["lead@example.com", "lead-demo-pass"],
  reviewer: ["reviewer@example.com", "reviewer-demo-pass"],
  viewer: ["viewer@example.com", "viewer-demo-pass"],
} as const;

export class LoginPage {
  constructor(private readonly page: Page) {}

  async signInAs(role: keyof typeof PASSWORDS) {
    const [email, password] = PASSWORDS[role];
    await this.page.context().clearCookies();
    await this.page.goto("/login");
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
    await expect(this.page.getByTestId("current-role")).toHaveText(role);
  }
}

export class VersionPage {
  constructor(private readonly page: Page) {}

  async open(model: string, version: number) {
    await this.page.goto(`/models/${model}/versions/${version}`);
    await expect(this.page.getByRole("heading", { level: 1 })).toHaveText(`${model} v${version}`);
  }

  request(environment = "production") {
    return this.page.getByRole("region", { name: `Request for ${environment}` });
  }

  decisions(environment = "production") {
    return this.request(environment).getByRole("list", { name: "Decisions" });
  }

  async decide(decision: "Approve" | "Reject", comment = "") {
    const panel = this.request();
    if (comment) await panel.getByLabel(/Comment/).fill(comment);
    await panel.getByRole("button", { name: decision }).click();
  }
}

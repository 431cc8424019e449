import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { startReceiver } from "../unit/helpers/webhook-receiver";
import { registerPendingVersion, uniqueModelName } from "./support/api";
import { LoginPage } from "./support/pages";
import { WebhooksPage } from "./support/webhooks-page";

type Created = {
  type: string;
  data: {
    model: string;
    version: number;
    status: string;
    review_url: string;
    approvers: { name: string; email: string }[];
  };
};

test("an admin's webhook gets a signed request.created with review link and approvers", async ({
  page,
  request,
  baseURL,
}) => {
  const receiver = await startReceiver();
  try {
    await new LoginPage(page).signInAs("admin");
    const webhooks = new WebhooksPage(page);
    await webhooks.openFromNav();
    const secret = await webhooks.add(receiver.url, ["request.created"]);
    expect(secret).toMatch(/^whsec_/);
    receiver.useSecret(secret);
    await expect(webhooks.webhook(receiver.url)).toContainText("request.created");
    await expect(webhooks.webhook(receiver.url)).not.toContainText("request.approved");

    const model = uniqueModelName("webhooked");
    const version = await registerPendingVersion(request, model);

    const received = () =>
      receiver.received.find((r) => (JSON.parse(r.body) as Created).data.model === model);
    await expect.poll(() => received(), { timeout: 15_000 }).toBeTruthy();
    const got = received()!;
    expect(got.verifyError).toBeNull();
    const event = new Webhook(secret).verify(got.body, got.headers) as Created;
    expect(event.type).toBe("request.created");
    expect(event.data.version).toBe(version);
    expect(event.data.review_url).toBe(`${baseURL}/models/${model}/versions/${version}`);
    expect(event.data.approvers).toContainEqual({
      name: "Rita Reviewer",
      email: "reviewer@example.com",
    });
    expect(event.data.approvers.map((a) => a.email)).not.toContain("viewer@example.com");

    const row = webhooks.delivery(receiver.url, "request.created");
    await expect(async () => {
      await page.reload();
      await expect(row.first()).toContainText("succeeded");
    }).toPass({ timeout: 15_000 });
    await expect(row.first()).toContainText("HTTP 200");

    // Later tests must not queue events for a receiver that is gone.
    await webhooks.webhook(receiver.url).getByRole("button", { name: "Disable" }).click();
    await expect(webhooks.webhook(receiver.url)).toContainText("disabled");
  } finally {
    await receiver.close();
  }
});

test("a lead finds no webhooks link and is refused the page", async ({ page }) => {
  await new LoginPage(page).signInAs("lead");
  await expect(page.getByRole("link", { name: "Webhooks" })).toHaveCount(0);
  await page.goto("/admin/webhooks");
  await expect(page.getByText("Webhooks are managed by admins.")).toContainText(
    "role lead may not manage webhooks.",
  );
});

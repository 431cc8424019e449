// Page object for the review queue, and helpers that put requests in it.
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { bearer } from "./api";

export class QueuePage {
  constructor(private readonly page: Page) {}

  async open(query = "") {
    await this.page.goto(`/${query}`);
    await expect(this.page.getByRole("heading", { name: "Review queue", level: 1 })).toBeVisible();
  }

  requests() {
    return this.page.getByRole("region", { name: "Requests" });
  }

  /** Model names on the page, top to bottom, read in one go (no waiting on rows that re-render). */
  async models(): Promise<string[]> {
    return this.requests().getByRole("row").getByRole("link").allTextContents();
  }

  async filter(fields: {
    model?: string;
    environment?: string;
    status?: string;
    submitter?: string;
    mine?: boolean;
    sort?: "Oldest first" | "Newest first";
  }) {
    const form = this.page.getByRole("form", { name: "Filter the queue" });
    if (fields.model !== undefined) await form.getByLabel("Model name contains").fill(fields.model);
    if (fields.environment !== undefined)
      await form.getByLabel("Environment").selectOption(fields.environment);
    if (fields.status !== undefined) await form.getByLabel("Status").selectOption(fields.status);
    if (fields.submitter !== undefined)
      await form.getByLabel("Submitter (person or token)").fill(fields.submitter);
    if (fields.mine !== undefined)
      await form.getByLabel("Only requests waiting for me").setChecked(fields.mine);
    if (fields.sort !== undefined) await form.getByLabel("Order").selectOption(fields.sort);
    await form.getByRole("button", { name: "Apply filters" }).click();
    // Wait for this navigation to land, so the next step never acts on the page before it.
    const sortValue = fields.sort === "Newest first" ? "newest" : "oldest";
    await this.page.waitForURL((url) => {
      const p = url.searchParams;
      return (
        (fields.model === undefined || (p.get("model") ?? "") === fields.model) &&
        (fields.environment === undefined || (p.get("environment") ?? "") === fields.environment) &&
        (fields.status === undefined || p.get("status") === fields.status) &&
        (fields.submitter === undefined || (p.get("submitter") ?? "") === fields.submitter) &&
        (fields.mine === undefined || (p.get("mine") === "1") === fields.mine) &&
        (fields.sort === undefined || (p.get("sort") ?? "oldest") === sortValue)
      );
    });
  }
}

/** Asks for approval of an existing version in `environment`; returns the request id. */
export async function askFor(
  request: APIRequestContext,
  model: string,
  version: number,
  environment: string,
): Promise<number> {
  const ask = await request.post(`/api/v1/models/${model}/versions/${version}/approval`, {
    headers: bearer(),
    data: { environment },
  });
  expect(ask.status(), await ask.text()).toBe(201);
  return ((await ask.json()) as { request_id: number }).request_id;
}

/** Registers a version of `model` and asks for approval in `environment`. */
export async function askApproval(
  request: APIRequestContext,
  model: string,
  environment = "production",
): Promise<{ version: number; requestId: number }> {
  const reg = await request.post(`/api/v1/models/${model}/versions`, {
    headers: bearer(),
    data: { metrics: [{ name: "accuracy", value: 0.91 }] },
  });
  expect(reg.status(), await reg.text()).toBe(201);
  const { version } = (await reg.json()) as { version: number };
  return { version, requestId: await askFor(request, model, version, environment) };
}

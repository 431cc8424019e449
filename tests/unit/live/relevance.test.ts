import { describe, expect, it } from "vitest";
import { concernsPage, livePageOf } from "@/lib/live/relevance";

const change = (model: string, version: number) => ({ id: 1, model, version });

describe("which pages a change concerns", () => {
  it("refreshes the queue for any changed request", () => {
    expect(concernsPage("/", [change("churn", 3)])).toBe(true);
    expect(concernsPage("/", [])).toBe(false);
  });

  it("refreshes a version page only for that version's requests", () => {
    const page = "/models/churn.v2_x/versions/3";
    expect(concernsPage(page, [change("churn.v2_x", 3)])).toBe(true);
    expect(concernsPage(page, [change("churn.v2_x", 4)])).toBe(false);
    expect(concernsPage(page, [change("churn", 3)])).toBe(false);
  });

  it("leaves other pages alone", () => {
    for (const path of ["/models", "/models/churn", "/audit", "/models/churn/versions/01"]) {
      expect(livePageOf(path)).toBeNull();
      expect(concernsPage(path, [change("churn", 1)])).toBe(false);
    }
  });
});

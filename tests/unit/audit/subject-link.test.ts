// Each audit event links to the page where its subject can be seen.
import { describe, expect, it } from "vitest";
import { subjectLink } from "@/lib/audit/subject-link";

describe("subjectLink", () => {
  it("sends a version or a request to the version page", () => {
    expect(subjectLink("version", 12, { model: "fraud", version: 3 })).toEqual({
      href: "/models/fraud/versions/3",
      label: "fraud v3",
    });
    expect(
      subjectLink("request", 40, { model: "fraud", version: 3, environment: "production" }),
    ).toEqual({
      href: "/models/fraud/versions/3",
      label: "request #40 · fraud v3 · production",
    });
  });

  it("sends a deployment to its environment's timeline on the model page", () => {
    expect(
      subjectLink("deployment", 7, { model: "fraud", version: 2, environment: "staging" }),
    ).toEqual({
      href: "/models/fraud#deployments-staging",
      label: "deployment of fraud v2 · staging",
    });
  });

  it("sends a model to its page and a model's policy to its editor", () => {
    expect(subjectLink("model", 1, { model: "fraud" })?.href).toBe("/models/fraud");
    expect(subjectLink("policy", 5, { model: "fraud", environment: "production" })?.href).toBe(
      "/models/fraud/policies/production",
    );
  });

  it("gives no link for the organisation default policy, which has no page", () => {
    expect(subjectLink("policy", 5, { model: null, environment: null })).toBeNull();
  });

  it("sends tokens, webhooks, groups and environments to their admin pages", () => {
    expect(subjectLink("token", 3, { model: null })?.href).toBe("/tokens");
    expect(subjectLink("webhook", 3, { model: null })?.href).toBe("/admin/webhooks");
    expect(subjectLink("group", 3, { model: null })?.href).toBe("/settings");
    expect(subjectLink("environment", 3, { model: null })?.href).toBe("/settings");
    expect(subjectLink("audit", null, { model: null })?.href).toBe("/audit");
  });

  it("gives no link when the subject's model or version is unknown", () => {
    expect(subjectLink("version", 12, { model: null, version: 3 })).toBeNull();
    expect(subjectLink("request", 12, { model: "fraud", version: null })).toBeNull();
    expect(subjectLink("user", 2, { model: null })).toBeNull();
    expect(subjectLink("something.new", 2, { model: "fraud" })).toBeNull();
  });
});

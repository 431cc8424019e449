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

  it("sends the organisation default policy, which has no page, to the history of policy saves", () => {
    expect(subjectLink("policy", 5, { model: null, environment: null })).toEqual({
      href: "/audit?action=policy.saved",
      label: "organisation default policy",
    });
  });

  it("sends a person, who has no page, to the history of what they did", () => {
    expect(subjectLink("user", 2, { model: null, userName: "Rita Reviewer" })).toEqual({
      href: "/audit?actor=Rita+Reviewer",
      label: "user Rita Reviewer",
    });
    // The actor filter matches the name exactly: characters a URL reserves are escaped.
    const odd = subjectLink("user", 3, { model: null, userName: "A&B O'Neil #2" });
    expect(new URL(odd!.href, "http://x").searchParams.get("actor")).toBe("A&B O'Neil #2");
    expect(subjectLink("user", 2, { model: null, userName: null })).toBeNull();
  });

  it("sends a refused page view to that page, and other refusals to the actor's history", () => {
    const refused = (attempt: string, actor = "Rita Reviewer") =>
      subjectLink("access", null, { model: null, actor, attempt });
    expect(refused("page /audit")).toEqual({ href: "/audit", label: "page /audit" });
    expect(refused("page /admin/webhooks")?.href).toBe("/admin/webhooks");
    expect(refused("POST /api/v1/models/fraud/versions", "token:e2e-pipeline")).toEqual({
      href: "/audit?actor=token%3Ae2e-pipeline",
      label: "events by token:e2e-pipeline",
    });
    expect(refused("action save-policy")?.href).toBe("/audit?actor=Rita+Reviewer");
    expect(refused("GET /audit/export", "anonymous")?.href).toBe("/audit?actor=anonymous");
    // Never a link off the site or into the API, whatever the details say.
    for (const attempt of ["page //evil.example", "page /\\evil.example", "page /api/live"]) {
      expect(refused(attempt)?.href).toBe("/audit?actor=Rita+Reviewer");
    }
    expect(subjectLink("access", null, { model: null, attempt: null })).toBeNull();
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
    expect(subjectLink("policy", 5, { model: "fraud", environment: null })).toBeNull();
    expect(subjectLink("something.new", 2, { model: "fraud" })).toBeNull();
  });
});

// The history's filters come from the URL; bad values name the field.
import { describe, expect, it } from "vitest";
import { auditQueryString, parseAuditQuery } from "@/lib/audit/filters";

describe("parseAuditQuery", () => {
  it("reads every filter, ignoring empty ones", () => {
    const parsed = parseAuditQuery({
      actor: "Leo Lead",
      model: "fraud-detector",
      action: "deployment.rolled_back",
      from: "2026-03-03T00:00:00+01:00",
      to: "2026-03-04T00:00:00Z",
      before: "120",
    });
    expect(parsed).toMatchObject({
      ok: true,
      filter: {
        actorName: "Leo Lead",
        model: "fraud-detector",
        action: "deployment.rolled_back",
        from: new Date(Date.UTC(2026, 2, 2, 23)),
        to: new Date(Date.UTC(2026, 2, 4)),
      },
      beforeId: 120,
    });
    expect(parseAuditQuery({ actor: "", model: " ", from: "" })).toEqual({
      ok: true,
      params: {},
      filter: {},
      beforeId: null,
    });
  });

  it.each([
    [{ from: "yesterday" }, "from", "must be a date and time"],
    [{ model: "Fraud Detector" }, "model", "must be 1-100 lowercase"],
    [{ action: "drop table;" }, "action", "must be an action"],
    [{ before: "-3" }, "before", "must be an event id"],
    [{ actor: ["a", "b"] }, "actor", "actor: given 2 times; give it once"],
    [{ until: "2026-03-03T00:00:00Z" }, "until", "query parameter until is not known; use"],
    [{ from: "2026-03-04T00:00:00Z", to: "2026-03-03T00:00:00Z" }, "to", "must be after from"],
  ])("refuses %j, naming %s", (query, field, words) => {
    const parsed = parseAuditQuery(query);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors[0]?.field).toBe(field);
    expect(parsed.errors[0]?.message).toContain(words);
  });

  it("keeps the filters in the next page's link", () => {
    const parsed = parseAuditQuery({ actor: "Leo Lead", action: "decision.approve" });
    if (!parsed.ok) throw new Error("should parse");
    expect(auditQueryString(parsed.params, 88)).toBe(
      "?actor=Leo+Lead&action=decision.approve&before=88",
    );
    expect(auditQueryString({})).toBe("");
  });
});

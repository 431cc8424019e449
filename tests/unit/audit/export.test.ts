// The CSV export: who may, what it records, which rows it holds, and that
// awkward text survives a spreadsheet and a CSV parser.
import { describe, expect, it } from "vitest";
import { iterateFilteredAuditEvents } from "@/db/queries/audit";
import { auditEvents } from "@/db/schema";
import { auditCsvStream, exportAuditHistory, toCsvRecord } from "@/lib/audit/export";
import { MODEL, gateWorlds, type World } from "../helpers/gate-world";
import { addUser, thrown } from "../helpers/test-db";

const newWorld = gateWorlds();

/** RFC 4180, enough for a test: quoted fields, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}

async function exportText(w: World, who: "lead" | "admin", query: Record<string, string> = {}) {
  const exported = exportAuditHistory(w.db, w.people[who], query);
  let text = "";
  for await (const chunk of auditCsvStream(exported.records)) text += chunk;
  return { ...exported, text, rows: parseCsv(text) };
}

function twoModels(): World {
  const w = newWorld();
  w.register({ auc: 0.9 });
  w.register({ auc: 0.8 }, w.lead, "churn");
  w.register({ auc: 0.91 });
  return w;
}

describe("who may export", () => {
  it("refuses a visitor without a session with 401", () => {
    const w = newWorld();
    expect(thrown(() => exportAuditHistory(w.db, null, {}))).toMatchObject({ status: 401 });
  });

  it.each(["viewer", "reviewer"] as const)("refuses a %s with 403 and records nothing", (role) => {
    const w = twoModels();
    const before = w.rowCounts();
    expect(thrown(() => exportAuditHistory(w.db, w.people[role], {}))).toMatchObject({
      status: 403,
      code: "forbidden:audit_read",
    });
    expect(w.rowCounts()).toEqual(before);
  });

  it("lets an admin export too", async () => {
    const w = twoModels();
    expect((await exportText(w, "admin")).rows.length).toBeGreaterThan(1);
  });
});

describe("what an export holds", () => {
  it("starts with the documented columns and holds each event's fields", async () => {
    const w = twoModels();
    const { rows } = await exportText(w, "lead");
    expect(rows[0]).toEqual([
      "id",
      "time (UTC)",
      "actor type",
      "actor",
      "action",
      "subject",
      "model",
      "summary",
      "details",
      "hash",
      "prev hash",
    ]);
    const stored = w.db
      .select()
      .from(auditEvents)
      .orderBy(auditEvents.id)
      .all()
      .filter((e) => e.action !== "audit.exported");
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(stored.map((e) => e.id));
    const first = stored[0]!;
    expect(rows[1]).toEqual([
      String(first.id),
      first.createdAt.toISOString(),
      first.actorType,
      first.actorName,
      first.action,
      `${first.subjectType} #${first.subjectId}`,
      MODEL,
      first.summary,
      first.details === null ? "" : JSON.stringify(first.details),
      first.hash,
      first.prevHash,
    ]);
  });

  it("holds only the filtered rows", async () => {
    const w = twoModels();
    const { rows, count } = await exportText(w, "lead", {
      model: "churn",
      action: "version.registered",
    });
    expect(count).toBe(1);
    expect(rows.slice(1).map((r) => [r[4], r[6]])).toEqual([["version.registered", "churn"]]);
  });

  it("is recorded as audit.exported with its filters, and ends just before that event", async () => {
    const w = twoModels();
    const first = await exportText(w, "lead", { model: MODEL });
    const [event] = w.auditEvents("audit.exported");
    expect(event).toMatchObject({
      actorName: "Leo Lead",
      subjectType: "audit",
      summary: `exported ${first.count} audit events as CSV`,
      details: { filters: { model: MODEL }, events: first.count },
    });
    expect(first.rows.slice(1).every((r) => r[4] !== "audit.exported")).toBe(true);
    const second = await exportText(w, "lead");
    expect(second.rows.slice(1).filter((r) => r[4] === "audit.exported")).toHaveLength(1);
  });

  it("refuses a bad filter with 400 naming the field, and records nothing", () => {
    const w = twoModels();
    const before = w.rowCounts();
    const error = thrown(() => exportAuditHistory(w.db, w.people.lead, { from: "last week" }));
    expect(error).toMatchObject({ status: 400 });
    expect(error.errors[0]).toMatchObject({ field: "from" });
    expect(w.rowCounts()).toEqual(before);
  });
});

describe("awkward text", () => {
  it("round-trips a comma, a quote and a newline, and defuses a leading =", async () => {
    const w = newWorld();
    const sly = addUser(w.db, "reviewer", '=HYPERLINK("http://evil.example","open")');
    const v = w.register({ auc: 0.9 });
    const request = w.ask(v);
    const comment = 'too slow, "p95" doubled\n=SUM(A1:A9)';
    w.reject(sly, request.id, comment);
    const { rows } = await exportText(w, "lead", { action: "decision.reject" });
    expect(rows).toHaveLength(2);
    const [, , , actor, , , , summary, details] = rows[1]!;
    // A leading apostrophe makes a spreadsheet show the cell as text.
    expect(actor).toBe(`'${sly.name}`);
    expect(summary).toBe(`'${sly.name} rejected ${MODEL} v${v}: ${comment}`);
    expect(JSON.parse(details!).comment).toBe(comment);
  });

  it("leaves a negative number alone but escapes text that starts with - + or @", async () => {
    const w = newWorld();
    w.register({ auc: 0.9 });
    const [event] = w.auditEvents("version.registered");
    const record = { ...toCsvRecord(event!, MODEL), id: -1, actor: "-1+1", action: "@x" };
    let text = "";
    for await (const chunk of auditCsvStream([record])) text += chunk;
    const row = parseCsv(text)[1]!;
    expect(row.slice(0, 5)).toEqual(["-1", row[1], "user", "'-1+1", "'@x"]);
  });
});

describe("reading a page at a time", () => {
  it("yields every filtered event once, oldest first, across small pages", () => {
    const w = newWorld();
    for (let i = 0; i < 7; i++) w.register({ auc: 0.5 + i / 100 });
    const all = w.auditEvents("version.registered").map((e) => e.id);
    const read = [
      ...iterateFilteredAuditEvents(w.db, { action: "version.registered" }, 1e9, 3),
    ].map((e) => e.id);
    expect(read).toEqual(all);
    expect(all).toHaveLength(7);
  });
});

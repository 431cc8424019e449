// The queue's model search matches the typed text literally: quotes, `%`,
// `_` and `\` are characters to find, not SQL or LIKE syntax.
import { afterEach, describe, expect, it } from "vitest";
import { containsPattern, listQueuePage } from "@/db/queries/request-queue";
import { memoryDb, type TestDb } from "../helpers/test-db";
import { addModel, addRequest } from "./queue-world";

let open: TestDb | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

const NAMES = [
  "it's-a-model",
  'say-"hi"',
  "100%_sure",
  "100xxsure",
  "100%-sure",
  "back\\slash",
  "backxslash",
  "a_b",
  "axb",
  "plain",
];

function setup() {
  open = memoryDb();
  const { db } = open;
  NAMES.forEach((name, i) => addRequest(db, addModel(db, name), new Date(10_000 + i)));
  return db;
}

function search(db: ReturnType<typeof setup>, text: string): string[] {
  return listQueuePage(db, {
    statuses: [],
    environment: null,
    modelContains: text,
    submitterContains: null,
    waitingFor: null,
    sort: "oldest",
    cursor: null,
    limit: 100,
  }).rows.map((r) => r.modelName);
}

describe("model search", () => {
  it("finds a name with a single quote and nothing else", () => {
    expect(search(setup(), "it's")).toEqual(["it's-a-model"]);
  });

  it("finds a name with double quotes", () => {
    expect(search(setup(), '"hi"')).toEqual(['say-"hi"']);
  });

  it("treats % and _ as themselves, not as wildcards", () => {
    const db = setup();
    expect(search(db, "%_")).toEqual(["100%_sure"]);
    expect(search(db, "100%")).toEqual(["100%_sure", "100%-sure"]);
    expect(search(db, "a_b")).toEqual(["a_b"]);
    expect(search(db, "%")).toEqual(["100%_sure", "100%-sure"]);
    expect(search(db, "_")).toEqual(["100%_sure", "a_b"]);
  });

  it("treats a backslash as itself", () => {
    const db = setup();
    expect(search(db, "k\\s")).toEqual(["back\\slash"]);
    expect(search(db, "\\")).toEqual(["back\\slash"]);
  });

  it("finds nothing for text no name contains", () => {
    expect(search(setup(), "%x%")).toEqual([]);
  });

  it("escapes every LIKE metacharacter in the pattern", () => {
    expect(containsPattern("a%b_c\\d'e")).toBe("%a\\%b\\_c\\\\d'e%");
  });
});

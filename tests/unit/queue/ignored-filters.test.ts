// A filter the queue reports as ignored must not narrow the list: the person
// reads "ignored" and expects every open request.
import { afterEach, describe, expect, it } from "vitest";
import type { User } from "@/db/schema";
import { parseQueueFilters } from "@/lib/queue/filters";
import { getQueuePage } from "@/lib/views/queue";
import { addUser, memoryDb, type TestDb } from "../helpers/test-db";
import { addModel, addRequest } from "./queue-world";

let open: TestDb | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

function setup(): { db: TestDb["db"]; user: User } {
  open = memoryDb();
  const { db } = open;
  addRequest(db, addModel(db, "churn"), new Date(10_000), "pending_review", "production");
  addRequest(db, addModel(db, "fraud"), new Date(11_000), "pending_review", "staging");
  return { db, user: addUser(db, "viewer") };
}

function shown(params: Record<string, string>) {
  const { db, user } = setup();
  const { filters, problems } = parseQueueFilters(params);
  const page = getQueuePage(db, user, filters);
  return { models: page.items.map((i) => i.model), problems: [...problems, ...page.problems] };
}

describe("ignored queue filters", () => {
  it("shows every open request when the environment does not exist", () => {
    const result = shown({ environment: "nope" });
    expect(result.problems).toEqual(["environment: there is no environment named nope"]);
    expect(result.models).toEqual(["churn", "fraud"]);
  });

  it("drops the unknown environment from the filters links are built from", () => {
    const { db, user } = setup();
    const page = getQueuePage(db, user, parseQueueFilters({ environment: "nope" }).filters);
    expect(page.filters.environment).toBeNull();
  });

  it("still applies an environment that exists", () => {
    expect(shown({ environment: "staging" }).models).toEqual(["fraud"]);
  });

  it.each([
    ["status", "bogus"],
    ["size", "0"],
    ["sort", "sideways"],
    ["mine", "maybe"],
    ["model", "x".repeat(101)],
    ["environment", "Not An Env"],
    ["after", "garbage"],
  ])("shows every open request when %s=%s is ignored", (name, value) => {
    const result = shown({ [name]: value });
    expect(result.problems).toHaveLength(1);
    expect(result.models).toEqual(["churn", "fraud"]);
  });
});

// A fresh, migrated database per test, and the people and tokens that act on it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type Database from "better-sqlite3";
import { openDatabase, migrateDatabase, type Db } from "@/db/client";
import { insertUser } from "@/db/queries/users";
import type { Role, User } from "@/db/schema";
import { actorFromBearer, createToken } from "@/lib/auth/tokens";
import type { Actor } from "@/lib/gate/actor";

export type TestDb = { db: Db; sqlite: Database.Database; close: () => void };

/** An in-memory database with every migration applied. */
export function memoryDb(): TestDb {
  const { db, sqlite } = openDatabase(":memory:");
  migrateDatabase(db);
  return { db, sqlite, close: () => sqlite.close() };
}

/** A migrated database in a temporary file, and a way to open more connections to it. */
export function fileDb(): TestDb & { file: string; connect: () => TestDb } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mag-unit-"));
  const file = path.join(dir, "approvals.db");
  const { db, sqlite } = openDatabase(file);
  migrateDatabase(db);
  const extra: Array<() => void> = [];
  return {
    db,
    sqlite,
    file,
    connect: () => {
      const other = openDatabase(file);
      const close = () => other.sqlite.close();
      extra.push(close);
      return { db: other.db, sqlite: other.sqlite, close };
    },
    close: () => {
      for (const c of extra) {
        try {
          c();
        } catch {
          // already closed
        }
      }
      sqlite.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/** Inserts a person with a role; the name defaults to the role plus a number. */
export function addUser(db: Db, role: Role, name?: string): User {
  counter += 1;
  const who = name ?? `${role}${counter}`;
  return insertUser(db, {
    email: `${who.toLowerCase().replace(/[^a-z0-9]/g, "")}${counter}@example.com`,
    name: who,
    role,
    passwordHash: "not-a-real-hash",
  });
}

export function userActor(user: User): Actor {
  return { type: "user", user };
}

/** Creates a pipeline token and resolves it the way the API does. */
export function tokenActor(
  db: Db,
  options: { name?: string; scopes?: string[]; owner?: User | null } = {},
): { actor: Actor; secret: string; id: number } {
  const created = createToken(db, {
    name: options.name ?? "ci pipeline",
    scopes: options.scopes,
    ownerUserId: options.owner?.id ?? null,
    createdBy: "unit test",
  });
  return { actor: actorFromBearer(db, created.secret), secret: created.secret, id: created.id };
}

/** A cast of people: one of each role, with readable names. */
export function cast(db: Db) {
  return {
    viewer: addUser(db, "viewer", "Vera Viewer"),
    reviewer: addUser(db, "reviewer", "Rita Reviewer"),
    reviewer2: addUser(db, "reviewer", "Rob Reviewer"),
    lead: addUser(db, "lead", "Leo Lead"),
    admin: addUser(db, "admin", "Ada Admin"),
  };
}

/** Runs `fn` and returns the error it throws (fails the test when it does not throw). */
export function thrown(fn: () => unknown): Error & Record<string, any> {
  try {
    fn();
  } catch (error) {
    return error as Error & Record<string, any>;
  }
  throw new Error("expected the call to throw, but it returned");
}

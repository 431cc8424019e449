// One SQLite connection per process, opened lazily so that importing a module
// never touches the disk (next build imports every route).
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema>;
/** What a transaction callback receives; queries accept either. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export const DEFAULT_DATABASE_PATH = "./data/approvals.db";

export function databasePath(): string {
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_PATH;
  return url.startsWith("file:") ? url.slice("file:".length) : url;
}

export function openDatabase(file: string): { db: Db; sqlite: Database.Database } {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  // FULL: an acknowledged decision survives a power cut, at some write cost.
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  return { db: drizzle(sqlite, { schema }), sqlite };
}

export function migrateDatabase(db: Db): void {
  migrate(db, { migrationsFolder: path.join(process.cwd(), "db", "migrations") });
}

const globalForDb = globalThis as unknown as { __approvalDb?: Db };

/** The process-wide connection, migrated on first use. */
export function getDb(): Db {
  if (!globalForDb.__approvalDb) {
    const { db } = openDatabase(databasePath());
    migrateDatabase(db);
    globalForDb.__approvalDb = db;
  }
  return globalForDb.__approvalDb;
}

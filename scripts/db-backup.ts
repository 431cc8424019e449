// npm run db:backup -- DEST
// A consistent copy of the live database through SQLite's online backup API
// (better-sqlite3's db.backup): the server keeps serving and writing while
// the copy is made, and the copy is one moment of the database, WAL included.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { databasePath } from "@/db/client";

// better-sqlite3 takes no negative ("all") page count; this is its largest.
const ALL_REMAINING_PAGES = 0x7fffffff;

export async function backupDatabase(source: string, dest: string): Promise<number> {
  if (fs.existsSync(dest)) throw new Error(`${dest} exists; choose a new file`);
  fs.mkdirSync(path.dirname(path.resolve(dest)), { recursive: true });
  const sqlite = new Database(source, { fileMustExist: true });
  try {
    sqlite.pragma("busy_timeout = 5000");
    // All pages in one step, under one read snapshot: stepped 100 pages at a
    // time (the default), every write the server makes between steps restarts
    // the copy, and a busy database larger than 100 pages is never copied.
    // In WAL mode the one long read does not hold up the server's writes.
    const result = await sqlite.backup(dest, { progress: () => ALL_REMAINING_PAGES });
    return result.totalPages;
  } finally {
    sqlite.close();
  }
}

async function main() {
  const dest = process.argv[2];
  if (!dest || dest.startsWith("-")) {
    process.stderr.write("usage: npm run db:backup -- DEST (a new file)\n");
    process.exit(2);
  }
  const source = databasePath();
  try {
    const pages = await backupDatabase(source, dest);
    process.stdout.write(`backed up ${source} to ${dest} (${pages} pages)\n`);
  } catch (error) {
    process.stderr.write(`db:backup: ${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  }
}

if (require.main === module) void main();

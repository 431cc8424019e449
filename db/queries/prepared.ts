// Statements that run on every registration, decision and audit event, built
// and compiled once per connection. Building the SQL text with Drizzle and
// compiling it in SQLite cost more than running it: in a profile of
// registration they were most of the transaction (docs/benchmarks.md, row 1).
import type { DbOrTx } from "../client";

// A transaction object is new for every transaction, but Drizzle gives it the
// session of the database it came from, and that session owns the one
// better-sqlite3 connection the statements are compiled on.
const bySession = new WeakMap<object, Map<string, unknown>>();

function sessionOf(db: DbOrTx): object {
  return (db as unknown as { session: object }).session;
}

/**
 * The statement `build` makes, compiled on the first call for this connection
 * and reused after. `key` names the statement; it must not depend on values,
 * which are passed as placeholders when the statement runs.
 */
export function preparedOnce<T>(db: DbOrTx, key: string, build: (db: DbOrTx) => T): T {
  const session = sessionOf(db);
  let statements = bySession.get(session);
  if (!statements) {
    statements = new Map();
    bySession.set(session, statements);
  }
  let statement = statements.get(key) as T | undefined;
  if (statement === undefined) {
    statement = build(db);
    statements.set(key, statement);
  }
  return statement;
}

// better-sqlite3 throws a SqliteError with code SQLITE_BUSY (or one of its
// extended codes) when the busy timeout runs out waiting for the write lock.
export function isDatabaseBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_"));
}

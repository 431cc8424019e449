// Run as a separate process by concurrency.test.ts: waits until a shared
// start time, then decides each request as fast as it can, printing one
// outcome per request: "ok", the AppError's status and code, or the error's
// code (SQLITE_BUSY would show here).
// Usage: tsx decide-worker.ts <db file> <user id> <approve|reject> <start ms> <ids…>
import { openDatabase } from "@/db/client";
import { getUserById } from "@/db/queries/users";
import { AppError } from "@/lib/errors";
import { decideRequest } from "@/lib/gate/decide";

const [file, userId, decision, startAt, ...ids] = process.argv.slice(2);
const { db, sqlite } = openDatabase(file!);
const user = getUserById(db, Number(userId));
if (!user) throw new Error(`no user ${userId}`);

while (Date.now() < Number(startAt)) {
  // Spin: a timer's granularity would spread the processes further apart.
}
const outcomes = ids.map((id) => {
  try {
    decideRequest(db, { type: "user", user }, Number(id), {
      decision,
      comment: decision === "reject" ? "not good enough" : undefined,
    });
    return "ok";
  } catch (error) {
    if (error instanceof AppError) return `${error.status} ${error.code}`;
    return String((error as { code?: string }).code ?? error);
  }
});
sqlite.close();
process.stdout.write(JSON.stringify(outcomes));

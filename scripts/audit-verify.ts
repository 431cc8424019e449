// npm run audit:verify – checks the audit history's hash chain; exit 1 names
// the first broken event.
import { databasePath, openDatabase } from "@/db/client";
import { iterateAuditEvents } from "@/db/queries/audit";
import { verifyChain } from "@/lib/audit/verify-chain";

const { db, sqlite } = openDatabase(databasePath());
const state = verifyChain(iterateAuditEvents(db));
sqlite.close();
if (state.ok) {
  process.stdout.write(`audit chain intact: ${state.events} events, head ${state.head}\n`);
} else {
  process.stderr.write(
    `audit chain broken at event #${state.brokenAt}: ${state.why} ` +
      `(${state.events - 1} events before it are intact)\n`,
  );
  process.exit(1);
}

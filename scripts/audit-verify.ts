// npm run audit:verify [-- --anchor <id>:<hash> ...]
// Checks the audit history's hash chain; exit 1 names the first broken event.
// It prints the head (the newest event's id and hash): written down, it is an
// anchor for a later run, which then also fails if that event is gone or
// changed, i.e. if events were cut from the end since (the chain alone
// cannot show that). Exit 2 for a malformed call or a database that is not there.
import fs from "node:fs";
import { parseArgs } from "node:util";
import { databasePath, openDatabase } from "@/db/client";
import { iterateAuditEvents } from "@/db/queries/audit";
import { parseAnchor, verifyChain, type Anchor } from "@/lib/audit/verify-chain";

const USAGE = "usage: npm run audit:verify [-- --anchor <event id>:<64 hex hash> ...]\n";

function anchorsFromArgs(): Anchor[] {
  let values: string[];
  try {
    const { values: parsed } = parseArgs({
      options: { anchor: { type: "string", multiple: true } },
      strict: true,
    });
    values = parsed.anchor ?? [];
  } catch (error) {
    process.stderr.write(`audit:verify: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  return values.map((text) => {
    const anchor = parseAnchor(text);
    if (!anchor) {
      process.stderr.write(`audit:verify: --anchor ${text} is not <event id>:<hash>\n${USAGE}`);
      process.exit(2);
    }
    return anchor;
  });
}

const anchors = anchorsFromArgs();
const file = databasePath();
// A mistyped DATABASE_URL must not create an empty database and "verify" it.
if (!fs.existsSync(file)) {
  process.stderr.write(`audit:verify: no database at ${file} (check DATABASE_URL)\n`);
  process.exit(2);
}
function openExisting(path: string) {
  try {
    const opened = openDatabase(path);
    const found = opened.sqlite
      .prepare("SELECT 1 FROM sqlite_master WHERE name = 'audit_events'")
      .get();
    return { ...opened, found: Boolean(found) };
  } catch (error) {
    // A directory, or a file that is not a SQLite database.
    process.stderr.write(`audit:verify: cannot read ${path}: ${(error as Error).message}\n`);
    process.exit(2);
  }
}
const { db, sqlite, found } = openExisting(file);
if (!found) {
  sqlite.close();
  process.stderr.write(
    `audit:verify: ${file} holds no audit history (not this product's database?)\n`,
  );
  process.exit(2);
}
const state = verifyChain(iterateAuditEvents(db), anchors);
sqlite.close();
if (state.ok) {
  process.stdout.write(`audit chain intact: ${state.events} events, head ${state.head}\n`);
  for (const a of anchors) process.stdout.write(`anchor #${a.id} holds: ${a.hash}\n`);
  if (state.headId !== null) {
    process.stdout.write(
      `head event #${state.headId}; to check later that nothing after it was removed: ` +
        `npm run audit:verify -- --anchor ${state.headId}:${state.head}\n`,
    );
  }
} else if (state.anchor) {
  process.stderr.write(`audit anchor #${state.brokenAt} fails: ${state.why}\n`);
  process.exit(1);
} else {
  process.stderr.write(
    `audit chain broken at event #${state.brokenAt}: ${state.why} ` +
      `(${state.events - 1} events before it are intact)\n`,
  );
  process.exit(1);
}

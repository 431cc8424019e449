// npm run demo: migrate, seed demo users and policies, serve the built app,
// and load real demo data by replaying a recorded sklearn pipeline run
// through the HTTP API. Re-running keeps the existing database.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { databasePath, migrateDatabase, openDatabase } from "@/db/client";
import { listModelSummaries } from "@/db/queries/models";
import { listUsers } from "@/db/queries/users";
import { createToken } from "@/lib/auth/tokens";
import { logger } from "@/lib/log";
import { DEMO_USERS, seedDemo } from "./demo-seed";
import { replayRecording } from "./replay-recording";
import { startNextServer, waitUntilReady } from "./serve";

const log = logger.child({ area: "demo" });
const RECORDING = path.join(process.cwd(), "examples/sklearn-pipeline/recorded-run.json");

function sessionSecret(dbFile: string): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  // Kept beside the database so sessions survive a restart of the demo.
  const file = path.join(path.dirname(path.resolve(dbFile)), ".nextauth-secret");
  if (!fs.existsSync(file))
    fs.writeFileSync(file, crypto.randomBytes(32).toString("base64url"), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

async function main() {
  const dbFile = databasePath();
  const port = process.env.PORT ?? "3000";
  const url = process.env.NEXTAUTH_URL ?? `http://localhost:${port}`;
  const { db, sqlite } = openDatabase(dbFile);
  migrateDatabase(db);
  const fresh = listUsers(db).length === 0;
  if (fresh) await seedDemo(db);
  const needsData = listModelSummaries(db).every((m) => m.versionCount === 0);
  const token = needsData ? createToken(db, { name: "demo-pipeline", createdBy: "demo" }) : null;
  sqlite.close();

  startNextServer({ port, url, dbFile, secret: sessionSecret(dbFile) });
  await waitUntilReady(url, 60_000);
  if (token) {
    const results = await replayRecording(url, token.secret, RECORDING);
    for (const r of results) log.info(r, "demo request loaded");
  }
  const logins = DEMO_USERS.map((u) => `  ${u.role.padEnd(8)} ${u.email} / ${u.password}`).join(
    "\n",
  );
  process.stdout.write(
    `\nApproval gate ready at ${url} (database ${dbFile})\nDemo sign-ins:\n${logins}\n\n`,
  );
}

main().catch((error) => {
  log.error({ err: error }, "demo failed");
  process.exit(1);
});

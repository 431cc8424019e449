// The server the browser tests run against: a fresh database with the demo
// users and policies (no versions), tokens written where the tests read
// them, then the production build on E2E_PORT.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { migrateDatabase, openDatabase } from "@/db/client";
import { createToken } from "@/lib/auth/tokens";
import { seedDemo } from "./demo-seed";
import { startNextServer } from "./serve";

async function main() {
  const dir = path.resolve(process.env.E2E_DIR ?? "test-results/e2e-server");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const dbFile = path.join(dir, "approvals.db");
  const { db, sqlite } = openDatabase(dbFile);
  migrateDatabase(db);
  await seedDemo(db);
  const pipeline = createToken(db, { name: "e2e-pipeline", createdBy: "e2e" });
  const policy = createToken(db, {
    name: "e2e-policy",
    scopes: ["read", "policy"],
    createdBy: "e2e",
  });
  fs.writeFileSync(
    path.join(dir, "tokens.json"),
    JSON.stringify({ pipeline: pipeline.secret, policy: policy.secret }),
  );
  sqlite.close();

  const port = process.env.E2E_PORT ?? "3210";
  startNextServer({
    port,
    url: `http://localhost:${port}`,
    dbFile,
    secret: crypto.randomBytes(32).toString("hex"),
  });
}

void main();

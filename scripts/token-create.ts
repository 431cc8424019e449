// npm run token:create -- --name NAME [--scopes register,request,read,deploy] [--owner EMAIL]
// Prints the secret alone on the last line so a set-up script can take it.
import { parseArgs } from "node:util";
import { databasePath, openDatabase, migrateDatabase } from "@/db/client";
import { getUserByEmail } from "@/db/queries/users";
import { createToken } from "@/lib/auth/tokens";
import { AppError } from "@/lib/errors";

const { values } = parseArgs({
  options: { name: { type: "string" }, scopes: { type: "string" }, owner: { type: "string" } },
});

function fail(message: string): never {
  process.stderr.write(`token:create: ${message}\n`);
  process.exit(2);
}

if (!values.name) fail("--name NAME is required");
const { db } = openDatabase(databasePath());
migrateDatabase(db);
const owner = values.owner ? getUserByEmail(db, values.owner) : undefined;
if (values.owner && !owner) fail(`no user with email ${values.owner}`);
try {
  const token = createToken(db, {
    name: values.name,
    scopes: values.scopes?.split(",").map((s) => s.trim()),
    ownerUserId: owner?.id ?? null,
    createdBy: "cli",
  });
  process.stdout.write(
    `Created token ${values.name} (id ${token.id}, scopes ${token.scopes.join(", ")}).\n`,
  );
  process.stdout.write("Store the secret now; it is not shown again:\n");
  process.stdout.write(`${token.secret}\n`);
} catch (error) {
  fail(error instanceof AppError ? error.message : String(error));
}

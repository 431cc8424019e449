// npm run user:set -- --email EMAIL (--role ROLE | --disable | --enable)
// Changes a person's role or disables them, with an audit event; the change
// bites at their very next page, action or API call.
import os from "node:os";
import { parseArgs } from "node:util";
import { databasePath, migrateDatabase, openDatabase } from "@/db/client";
import { AppError } from "@/lib/errors";
import { changeUser } from "@/lib/gate/users";
import type { Role } from "@/lib/roles";

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    role: { type: "string" },
    disable: { type: "boolean" },
    enable: { type: "boolean" },
  },
});

function fail(message: string): never {
  process.stderr.write(`user:set: ${message}\n`);
  process.exit(2);
}

if (!values.email) fail("--email EMAIL is required");
if (values.disable && values.enable) fail("--disable and --enable exclude each other");
const disabled = values.disable ? true : values.enable ? false : undefined;
if (values.role === undefined && disabled === undefined) {
  fail("give --role ROLE, --disable or --enable");
}

const { db, sqlite } = openDatabase(databasePath());
migrateDatabase(db);
try {
  const user = changeUser(db, `user:set (${os.userInfo().username})`, values.email, {
    role: values.role as Role | undefined,
    disabled,
  });
  process.stdout.write(
    `${user.email}: role ${user.role}, ${user.disabled ? "disabled" : "active"}\n`,
  );
} catch (error) {
  fail(error instanceof AppError ? error.message : String(error));
} finally {
  sqlite.close();
}

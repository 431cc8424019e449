// Run as a separate process by register.test.ts: registers versions into a
// shared database file as fast as it can, to race other processes.
// Usage: tsx register-worker.ts <db file> <user id> <model> <count>
import { openDatabase } from "@/db/client";
import { getUserById } from "@/db/queries/users";
import { registerVersion } from "@/lib/gate/versions";

const [file, userId, model, count] = process.argv.slice(2);
const { db, sqlite } = openDatabase(file!);
const user = getUserById(db, Number(userId));
if (!user) throw new Error(`no user ${userId}`);
const numbers: number[] = [];
for (let i = 0; i < Number(count); i++) {
  numbers.push(registerVersion(db, { type: "user", user }, model!, {}).version.number);
}
sqlite.close();
process.stdout.write(JSON.stringify(numbers));

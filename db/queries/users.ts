import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { users, type Role, type User } from "../schema";

export function getUserById(db: DbOrTx, id: number): User | undefined {
  return db.select().from(users).where(eq(users.id, id)).get();
}

export function getUserByEmail(db: DbOrTx, email: string): User | undefined {
  return db.select().from(users).where(eq(users.email, email.toLowerCase())).get();
}

export function listUsers(db: DbOrTx): User[] {
  return db.select().from(users).orderBy(asc(users.email)).all();
}

export function updateUserRow(
  db: DbOrTx,
  id: number,
  change: { role?: Role; disabled?: boolean; sessionsValidAfter?: Date },
): User {
  const row = db.update(users).set(change).where(eq(users.id, id)).returning().get();
  if (!row) throw new Error(`no user ${id}`);
  return row;
}

export function insertUser(
  db: DbOrTx,
  input: { email: string; name: string; role: Role; passwordHash: string },
): User {
  return db
    .insert(users)
    .values({ ...input, email: input.email.toLowerCase() })
    .returning()
    .get();
}

// The signed-in person, read fresh from the database on every call: a
// disabled or demoted user is refused at their very next action.
import { getServerSession } from "next-auth";
import { getDb } from "@/db/client";
import { getUserById } from "@/db/queries/users";
import type { User } from "@/db/schema";
import { unauthorized } from "@/lib/errors";
import { authOptions } from "./options";

export async function getCurrentUser(): Promise<User | null> {
  const session = await getServerSession(authOptions);
  const id = (session?.user as { id?: unknown } | undefined)?.id;
  if (typeof id !== "number") return null;
  const user = getUserById(getDb(), id);
  return user && !user.disabled ? user : null;
}

export async function requireCurrentUser(): Promise<User> {
  const user = await getCurrentUser();
  if (!user) throw unauthorized("Sign in first.");
  return user;
}

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
  const claims = session?.user as { id?: unknown; signedInAt?: unknown } | undefined;
  if (typeof claims?.id !== "number") return null;
  const user = getUserById(getDb(), claims.id);
  if (!user || user.disabled) return null;
  // Disabling signs the person out everywhere, for good: a session from
  // before it is refused even once they are enabled again.
  const signedInAt = typeof claims.signedInAt === "number" ? claims.signedInAt : 0;
  if (user.sessionsValidAfter && signedInAt < user.sessionsValidAfter.getTime()) return null;
  return user;
}

export async function requireCurrentUser(): Promise<User> {
  const user = await getCurrentUser();
  if (!user) throw unauthorized("Sign in first.");
  return user;
}

// Pages read the signed-in user from the database; no session, no page.
import { notFound, redirect } from "next/navigation";
import type { User } from "@/db/schema";
import { getCurrentUser } from "@/lib/auth/current-user";
import { AppError } from "@/lib/errors";

export async function requirePageUser(): Promise<User> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  return user;
}

/** Runs a page loader, turning a missing subject into the 404 page. */
export function loadOrNotFound<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  }
}

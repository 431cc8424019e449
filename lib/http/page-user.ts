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

/**
 * Runs a page loader that checks a permission, turning a refusal into the
 * text the page shows instead of its content.
 * TODO: the page still answers HTTP 200 with that text; a 403 status needs
 * Next's experimental forbidden() (issue 6 reviews every role boundary).
 */
export function loadOrRefuse<T>(load: () => T): { ok: true; page: T } | { ok: false; why: string } {
  try {
    return { ok: true, page: load() };
  } catch (error) {
    if (error instanceof AppError && error.status === 403) return { ok: false, why: error.message };
    throw error;
  }
}

// Pages read the signed-in user from the database; no session, no page.
import { notFound, redirect } from "next/navigation";
import type { User } from "@/db/schema";
import { getCurrentUser } from "@/lib/auth/current-user";
import { AppError } from "@/lib/errors";
import { recordRefusalInRequest } from "./refusal-in-request";

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
 * text the page shows instead of its content, and recording it as
 * `access.refused` like a refused route or action (`page` names the path).
 * TODO: the page still answers HTTP 200 with that text; a 403 status needs
 * Next's forbidden(), still experimental in Next 16, whose page takes no
 * props and so could not say why (docs/security.md, known gaps).
 */
export async function loadOrRefuse<T>(
  user: User,
  page: string,
  load: () => T,
): Promise<{ ok: true; page: T } | { ok: false; why: string }> {
  try {
    return { ok: true, page: load() };
  } catch (error) {
    if (!(error instanceof AppError && error.status === 403)) throw error;
    await recordRefusalInRequest(user, `page ${page}`, error);
    return { ok: false, why: error.message };
  }
}

// How every page names who did something: a person by name, a token as
// "token:<name>", and a person's own token as "<person> (token:<name>)".
// The version, model, queue and audit pages all go through actorLabel, so
// one actor reads the same wherever it appears.
import type { DbOrTx } from "@/db/client";
import { getTokenById } from "@/db/queries/tokens";
import { getUserById } from "@/db/queries/users";

export function actorLabel(names: { user: string | null; token: string | null }): string {
  const { user, token } = names;
  if (user !== null && token !== null) return `${user} (token:${token})`;
  if (user !== null) return user;
  if (token !== null) return `token:${token}`;
  return "unknown";
}

/** The label of a row's user and token ids (either may be unset). */
export function submitterLabel(
  db: DbOrTx,
  ids: { userId: number | null; tokenId: number | null },
): string {
  const user = ids.userId === null ? undefined : getUserById(db, ids.userId);
  const token = ids.tokenId === null ? undefined : getTokenById(db, ids.tokenId);
  return actorLabel({ user: user?.name ?? null, token: token?.name ?? null });
}

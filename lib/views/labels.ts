// How pages name who did something: a person by name, a token by its name.
import type { DbOrTx } from "@/db/client";
import { getTokenById } from "@/db/queries/tokens";
import { getUserById } from "@/db/queries/users";

export function submitterLabel(
  db: DbOrTx,
  ids: { userId: number | null; tokenId: number | null },
): string {
  const user = ids.userId === null ? undefined : getUserById(db, ids.userId);
  const token = ids.tokenId === null ? undefined : getTokenById(db, ids.tokenId);
  // "token:<name>" as the audit history and the model page name a token.
  if (user && token) return `${user.name} (token:${token.name})`;
  if (user) return user.name;
  if (token) return `token:${token.name}`;
  return "unknown";
}

// Labels of rows that name a user and a token by id, through actorLabel
// (lib/actor-label.ts), so one actor reads the same wherever it appears.
import type { DbOrTx } from "@/db/client";
import { getTokenById } from "@/db/queries/tokens";
import { getUserById } from "@/db/queries/users";
import { actorLabel } from "@/lib/actor-label";

/** The label of a row's user and token ids (either may be unset). */
export function submitterLabel(
  db: DbOrTx,
  ids: { userId: number | null; tokenId: number | null },
): string {
  const user = ids.userId === null ? undefined : getUserById(db, ids.userId);
  const token = ids.tokenId === null ? undefined : getTokenById(db, ids.tokenId);
  return actorLabel({ user: user?.name ?? null, token: token?.name ?? null });
}

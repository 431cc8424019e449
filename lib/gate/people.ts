// People as the approval rules see them: role and groups, read from the
// database at the moment of the check.
import type { DbOrTx } from "@/db/client";
import { groupNamesOfUser } from "@/db/queries/groups";
import { listDecisionsOfRequest } from "@/db/queries/decisions";
import { getUserById, listUsers } from "@/db/queries/users";
import type { User } from "@/db/schema";
import type { Person } from "@/lib/approvals/quorum";

export function personOf(db: DbOrTx, user: User): Person {
  return { id: user.id, email: user.email, role: user.role, groups: groupNamesOfUser(db, user.id) };
}

/** Everyone who could be asked to decide: active users with their groups. */
export function activePeople(db: DbOrTx): Person[] {
  return listUsers(db)
    .filter((u) => !u.disabled)
    .map((u) => personOf(db, u));
}

/** The people whose approvals of a request still count. */
export function approvingPeople(db: DbOrTx, requestId: number) {
  return listDecisionsOfRequest(db, requestId).flatMap((d) => {
    if (d.decision !== "approve" || d.userId === null || d.dismissedAt !== null) return [];
    const user = getUserById(db, d.userId);
    return user ? [{ person: personOf(db, user), name: user.name }] : [];
  });
}

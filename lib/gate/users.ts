// Creating people. Only set-up scripts do this for now; the admin screens
// for users come with issue 4's token and user management.
import type { Db } from "@/db/client";
import { appendAuditEvent } from "@/db/queries/audit";
import { getUserByEmail, insertUser, updateUserRow } from "@/db/queries/users";
import { revokeTokensOfOwner } from "@/db/queries/tokens";
import { badRequest, notFound } from "@/lib/errors";
import { ROLES, type Role } from "@/lib/roles";
import { actorAudit, requirePermission, type Actor } from "./actor";
import { writeTransaction } from "./transaction";

export function createUser(
  db: Db,
  input: { email: string; name: string; role: Role; passwordHash: string },
  createdBy: string,
) {
  const at = new Date();
  return writeTransaction(db, (tx) => {
    const user = insertUser(tx, input);
    appendAuditEvent(
      tx,
      {
        actorType: "system",
        actorId: null,
        actorName: createdBy,
        action: "user.created",
        subjectType: "user",
        subjectId: user.id,
        modelId: null,
        summary: `created user ${user.email} with role ${user.role}`,
        details: { role: user.role },
      },
      at,
    );
    return user;
  });
}

export type UserChange = { role?: Role; disabled?: boolean };

/**
 * Changes a person's role or disables them. Nothing else is needed for the
 * change to bite: every page, action and API call reads the person afresh.
 * `by` is an admin, or the name of the set-up command that made the change.
 */
export function changeUser(db: Db, by: Actor | string, email: string, change: UserChange) {
  if (typeof by !== "string") requirePermission(by, "users:manage");
  if (change.role !== undefined && !ROLES.includes(change.role)) {
    throw badRequest("role", `Unknown role ${change.role}; roles are ${ROLES.join(", ")}.`);
  }
  if (change.role === undefined && change.disabled === undefined) {
    throw badRequest("user_change", "Name a new role, or disable or enable the person.");
  }
  const audit =
    typeof by === "string"
      ? { actorType: "system" as const, actorId: null, actorName: by }
      : actorAudit(by);
  const at = new Date();
  return writeTransaction(db, (tx) => {
    const before = getUserByEmail(tx, email);
    if (!before) throw notFound("user", `No user with email ${email}.`);
    const disabling = change.disabled === true && !before.disabled;
    // Disabling ends the person's sessions and personal tokens for good:
    // enabling them later must not bring back credentials left behind.
    const after = updateUserRow(
      tx,
      before.id,
      disabling ? { ...change, sessionsValidAfter: at } : change,
    );
    const tokensRevoked = disabling ? revokeTokensOfOwner(tx, before.id, at) : 0;
    const what = [
      change.role !== undefined && change.role !== before.role
        ? `role ${before.role} -> ${after.role}`
        : null,
      change.disabled !== undefined && change.disabled !== before.disabled
        ? after.disabled
          ? `disabled (signed out everywhere, ${tokensRevoked} personal tokens revoked)`
          : "enabled"
        : null,
    ].filter(Boolean);
    appendAuditEvent(
      tx,
      {
        ...audit,
        action: "user.changed",
        subjectType: "user",
        subjectId: after.id,
        modelId: null,
        summary: `changed user ${after.email}: ${what.length > 0 ? what.join(", ") : "no change"}`,
        details: {
          role: { from: before.role, to: after.role },
          disabled: { from: before.disabled, to: after.disabled },
          ...(disabling ? { signed_out: true, tokens_revoked: tokensRevoked } : {}),
        },
      },
      at,
    );
    return after;
  });
}

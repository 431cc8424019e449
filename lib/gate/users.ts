// Creating people. Only set-up scripts do this for now; the admin screens
// for users come with issue 4's token and user management.
import type { Db } from "@/db/client";
import { appendAuditEvent } from "@/db/queries/audit";
import { insertUser } from "@/db/queries/users";
import type { Role } from "@/lib/roles";
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

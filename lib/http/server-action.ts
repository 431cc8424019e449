// Every server action goes through here: its input is validated with zod and
// the acting user is read from the database, so an action posted without the
// page (or without a session) is refused the same way.
import type { z } from "zod";
import type { User } from "@/db/schema";
import { getCurrentUser } from "@/lib/auth/current-user";
import { AppError, fieldErrorsFromZod, type FieldError } from "@/lib/errors";
import { logFor } from "@/lib/log";

const log = logFor("actions");

export type ActionState = { ok: boolean; message: string; errors?: FieldError[] } | null;

export function actionWithUser<S extends z.ZodType>(
  name: string,
  schema: S,
  act: (input: z.output<S>, user: User) => string,
) {
  return async (_prev: ActionState, formData: FormData): Promise<ActionState> => {
    const user = await getCurrentUser();
    if (!user) return { ok: false, message: "Your session has ended; sign in again." };
    const parsed = schema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) {
      const errors = fieldErrorsFromZod(parsed.error.issues);
      return { ok: false, message: errors.map((e) => e.message).join("; "), errors };
    }
    try {
      const message = act(parsed.data, user);
      log.info({ action: name, user: user.id }, "action done");
      return { ok: true, message };
    } catch (error) {
      if (error instanceof AppError) {
        log.info({ action: name, user: user.id, code: error.code }, "action refused");
        return { ok: false, message: error.message, errors: error.errors };
      }
      log.error({ action: name, err: error }, "action failed");
      return { ok: false, message: "Something went wrong; the server log has the details." };
    }
  };
}

// Every server action goes through here: its input is validated with zod and
// the acting user is read from the database, so an action posted without the
// page (or without a session) is refused the same way.
import type { z } from "zod";
import type { User } from "@/db/schema";
import { getCurrentUser } from "@/lib/auth/current-user";
import { AppError, fieldErrorsFromZod, unauthorized, type FieldError } from "@/lib/errors";
import { logFor } from "@/lib/log";
import { isDatabaseBusy } from "./database-busy";
import { isRefusal } from "./refusals";
import { recordRefusalInRequest } from "./refusal-in-request";

const log = logFor("actions");

export type ActionState<T = undefined> = {
  ok: boolean;
  message: string;
  errors?: (FieldError & { line?: number | null })[];
  data?: T;
} | null;

type Outcome<T> = string | { message: string; data: T };

/** Accepts a FormData (forms) or a plain object (calls from client code). */
export function actionWithUser<S extends z.ZodType, T = undefined>(
  name: string,
  schema: S,
  act: (input: z.output<S>, user: User) => Outcome<T>,
) {
  return async (_prev: ActionState<T>, input: FormData | object): Promise<ActionState<T>> => {
    const user = await getCurrentUser();
    if (!user) {
      const message = "Your session has ended; sign in again.";
      await refused(name, null, unauthorized(message));
      return { ok: false, message };
    }
    const raw = input instanceof FormData ? Object.fromEntries(input) : input;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const errors = fieldErrorsFromZod(parsed.error.issues);
      return { ok: false, message: errors.map((e) => e.message).join("; "), errors };
    }
    try {
      const outcome = act(parsed.data, user);
      log.info({ action: name, user: user.id }, "action done");
      return typeof outcome === "string"
        ? { ok: true, message: outcome }
        : { ok: true, message: outcome.message, data: outcome.data };
    } catch (error) {
      if (error instanceof AppError) {
        log.info({ action: name, user: user.id, code: error.code }, "action refused");
        if (isRefusal(error)) await refused(name, user, error);
        return { ok: false, message: error.message, errors: error.errors };
      }
      if (isDatabaseBusy(error)) {
        log.warn({ action: name, user: user.id }, "database busy");
        return { ok: false, message: "The database is busy; try again in a second." };
      }
      log.error({ action: name, err: error }, "action failed");
      return { ok: false, message: "Something went wrong; the server log has the details." };
    }
  };
}

async function refused(action: string, user: User | null, error: AppError): Promise<void> {
  await recordRefusalInRequest(user, `action ${action}`, error);
}

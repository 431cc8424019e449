// Records a refusal met while serving a page or a server action, naming the
// client's address from the request's headers.
import { headers } from "next/headers";
import { getDb } from "@/db/client";
import type { User } from "@/db/schema";
import type { AppError } from "@/lib/errors";
import { clientAddress } from "./client-address";
import { recordRefusal } from "./refusals";

export async function recordRefusalInRequest(
  user: User | null,
  attempt: string,
  error: AppError,
): Promise<void> {
  let address = "unknown";
  try {
    address = clientAddress(await headers());
  } catch {
    // Called outside a request (tests, scripts): no address to name.
  }
  await recordRefusal(getDb(), user && { type: "user", user }, { attempt, error, address });
}

// Pipeline token secrets. The `mag_` prefix lets secret scanners spot a
// leaked one; only a SHA-256 of the secret is stored. A fast hash is right
// here: the secret is 256 random bits, not a guessable password.
import { createHash, randomBytes } from "node:crypto";

export const TOKEN_PREFIX = "mag_";

export function newTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

export function hashTokenSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function displayPrefixOf(secret: string): string {
  return secret.slice(0, TOKEN_PREFIX.length + 6);
}

// One structured logger; each area takes a child with its own name.
import pino from "pino";

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: { service: "approval-gate" },
  redact: ["authorization", "token", "secret", "password", "*.password", "*.secret"],
});

export function logFor(area: string) {
  return logger.child({ area });
}

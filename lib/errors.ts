// One error type for the whole product. Route handlers turn it into an
// application/problem+json body; server actions turn it into a form message.

export type FieldError = { field: string; rule: string; message: string };

const STATUS_BY_KIND = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  too_many_requests: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorKind = keyof typeof STATUS_BY_KIND;

export class AppError extends Error {
  readonly status: number;

  constructor(
    /** Stable, machine-readable: `kind:subject`, e.g. `conflict:request_final`. */
    readonly code: `${ErrorKind}:${string}`,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = "AppError";
    const kind = code.split(":")[0] as ErrorKind;
    this.status = STATUS_BY_KIND[kind];
  }
}

export function badRequest(subject: string, message: string, errors: FieldError[] = []) {
  return new AppError(`bad_request:${subject}`, message, errors);
}

export function notFound(subject: string, message: string) {
  return new AppError(`not_found:${subject}`, message);
}

export function conflict(subject: string, message: string) {
  return new AppError(`conflict:${subject}`, message);
}

export function forbidden(subject: string, message: string) {
  return new AppError(`forbidden:${subject}`, message);
}

export function unauthorized(message = "Sign in or send a valid bearer token.") {
  return new AppError("unauthorized:credentials", message);
}

/** Turns zod issues into field errors with a dotted path and the rule broken. */
export function fieldErrorsFromZod(
  issues: ReadonlyArray<{ path: PropertyKey[]; code: string; message: string }>,
): FieldError[] {
  return issues.map((issue) => {
    const field = issue.path.map(String).join(".") || "(body)";
    return { field, rule: issue.code, message: `${field}: ${issue.message}` };
  });
}

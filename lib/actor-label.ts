// How every page and the audit history name who did something: a person by
// name, a token as "token:<name>", and a person's own token as
// "<person> (token:<name>)". Plain, so the gate (which records audit names)
// and the views (which show them) share it without depending on each other.
export function actorLabel(names: { user: string | null; token: string | null }): string {
  const { user, token } = names;
  if (user !== null && token !== null) return `${user} (token:${token})`;
  if (user !== null) return user;
  if (token !== null) return `token:${token}`;
  return "unknown";
}

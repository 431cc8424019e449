// Addresses a pipeline registers are shown to reviewers; only plain web
// addresses may become links. A `javascript:` or `data:` URL in an href
// would run in the reviewer's session with one click.

/** The address when it is an absolute http(s) URL, else null. */
export function httpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
}

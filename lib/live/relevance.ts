// Which pages follow live changes, and whether a batch of changed requests
// concerns the page on screen: the queue shows every request, a version page
// only that version's.
export type ChangedRequest = { id: number; model: string; version: number };

export type LivePage = { kind: "queue" } | { kind: "version"; model: string; version: number };

const VERSION_PAGE = /^\/models\/([^/]+)\/versions\/([1-9][0-9]*)\/?$/;

export function livePageOf(pathname: string): LivePage | null {
  if (pathname === "/") return { kind: "queue" };
  const match = VERSION_PAGE.exec(pathname);
  if (!match?.[1] || !match[2]) return null;
  let model: string;
  try {
    model = decodeURIComponent(match[1]);
  } catch {
    return null;
  }
  return { kind: "version", model, version: Number(match[2]) };
}

export function concernsPage(pathname: string, changes: readonly ChangedRequest[]): boolean {
  const page = livePageOf(pathname);
  if (!page) return false;
  if (page.kind === "queue") return changes.length > 0;
  return changes.some((c) => c.model === page.model && c.version === page.version);
}

// Where a version came from, as the review page lists it. The rule for
// links, also stated on the page:
// - source URI and pipeline run become links only when they are http(s)
//   addresses; anything else (s3://, javascript:…) is shown as text;
// - a commit becomes a link to `<repository_url>/commit/<sha>` when the
//   version carries an http(s) `repository_url` tag and the commit is a
//   hex SHA (7-40 digits), which is the commit path GitHub and GitLab share;
// - a run id becomes a link when the version carries an http(s) `run_url`
//   tag (an MLflow or W&B run page).
import { httpUrl } from "./safe-url";

export type SourceLink = {
  label: string;
  text: string;
  href: string | null;
  /** Why a value that looks like an address is not a link. */
  refused: string | null;
};

export const REPOSITORY_TAG = "repository_url";
export const RUN_URL_TAG = "run_url";

const NOT_HTTP = "not a link: only http(s) addresses become links";

/** Text, a link when the address is http(s), and a note when it was refused. */
function link(label: string, text: string, address: string): SourceLink {
  const href = httpUrl(address);
  // s3:// or sklearn:// is a storage location, not a refused link; a script
  // scheme is called out so a reviewer sees something odd was registered.
  const suspicious = /^\s*(javascript|data|vbscript):/i.test(address);
  return { label, text, href, refused: href === null && suspicious ? NOT_HTTP : null };
}

export function sourceLinksOf(version: {
  sourceUri: string | null;
  runId: string | null;
  commit: string | null;
  pipelineRunUrl: string | null;
  tags: Record<string, string>;
}): SourceLink[] {
  const out: SourceLink[] = [];
  const tags = version.tags;
  if (version.runId) {
    const href = httpUrl(tags[RUN_URL_TAG]);
    out.push({ label: "Run", text: version.runId, href, refused: null });
  }
  if (version.commit) {
    const repository = httpUrl(tags[REPOSITORY_TAG]);
    const sha = /^[0-9a-f]{7,40}$/i.test(version.commit) ? version.commit : null;
    const href = repository && sha ? `${repository.replace(/\/+$/, "")}/commit/${sha}` : null;
    out.push({ label: "Commit", text: version.commit, href, refused: null });
  }
  if (version.pipelineRunUrl) {
    out.push(link("Pipeline run", version.pipelineRunUrl, version.pipelineRunUrl));
  }
  if (version.sourceUri) out.push(link("Source", version.sourceUri, version.sourceUri));
  return out;
}

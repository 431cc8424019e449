// Where the version came from. Only http(s) addresses are links (see
// lib/views/source-links.ts for the rule); the rest is text to copy.
import type { SourceLink } from "@/lib/views/source-links";
import { textLink } from "@/components/ui-classes";

export function SourceLinks({ links }: { links: SourceLink[] }) {
  if (links.length === 0) {
    return <p className="text-sm text-gray-600 dark:text-gray-400">No source was registered.</p>;
  }
  return (
    <dl
      aria-label="Source"
      className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-3 gap-y-0.5 text-sm"
    >
      {links.map((l) => (
        <div key={l.label} className="contents">
          <dt className="text-gray-600 dark:text-gray-400">{l.label}</dt>
          <dd className="font-mono break-all" data-testid={`source-${l.label}`}>
            {l.href ? (
              <a className={textLink} href={l.href} rel="noopener noreferrer">
                {l.text}
              </a>
            ) : (
              l.text
            )}
            {l.refused ? (
              <span className="ml-2 font-sans text-xs text-red-700 dark:text-red-400">
                ({l.refused})
              </span>
            ) : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

"use client";
// Beside "in <zone>": says when that zone is the viewer's own, and otherwise
// offers the same day in the viewer's zone. Only the browser knows its zone,
// so nothing shows until it runs.
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { textLink } from "@/components/ui-classes";

/** The zone's name as this browser resolves it, so aliases compare equal. */
function resolved(zone: string): string | null {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export function ZoneNote({ zone, day }: { zone: string; day: string }) {
  const [viewer, setViewer] = useState<string | null>(null);
  useEffect(() => setViewer(Intl.DateTimeFormat().resolvedOptions().timeZone), []);
  const path = usePathname();
  const params = useSearchParams();
  if (!viewer) return null;
  if (resolved(zone) === resolved(viewer)) return <> (your time zone)</>;

  const mine = new URLSearchParams(params.toString());
  mine.set("tz", viewer);
  // The window is worked out from the day and the zone: bounds from an older link would disagree.
  mine.delete("start");
  mine.delete("end");
  return (
    <>
      {" "}
      (not your time zone:{" "}
      <Link href={`${path}?${mine.toString()}`} className={textLink}>
        {day} in {viewer}
      </Link>
      )
    </>
  );
}

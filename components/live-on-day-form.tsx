"use client";
// Picks a day for "what was live on <date>". The date means the viewer's own
// day: the browser adds its time zone as a hidden field (`tz`) and the server
// works out when that day begins and ends there. Without JavaScript the zone
// is missing and the server reads the date as a UTC day, and says so.
import { useEffect, useId, useState } from "react";
import { button, field } from "@/components/ui-classes";

export function LiveOnDayForm({ day, keep }: { day: string; keep: Record<string, string> }) {
  const [value, setValue] = useState(day);
  // Only in the browser: the server's zone is not the viewer's.
  const [zone, setZone] = useState<string | null>(null);
  useEffect(() => setZone(Intl.DateTimeFormat().resolvedOptions().timeZone), []);
  const id = useId();
  return (
    <form className="flex flex-wrap items-end gap-2 text-sm" aria-label="What was live on a day">
      {Object.entries(keep).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <div>
        <label htmlFor={`${id}-on`} className="block font-medium">
          What was live on
        </label>
        <input
          id={`${id}-on`}
          type="date"
          name="on"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          className={field}
        />
      </div>
      {zone ? <input type="hidden" name="tz" value={zone} /> : null}
      <button type="submit" className={button.primary}>
        Show
      </button>
    </form>
  );
}

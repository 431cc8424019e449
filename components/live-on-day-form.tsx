"use client";
// Picks a day for "what was live on <date>". The date means the viewer's own
// day: the browser adds that day's first instant and the next day's first
// instant in its zone as hidden fields, so the server needs no zone rules.
// Without JavaScript they are missing and the server reads the date as UTC.
import { useEffect, useId, useState } from "react";
import { button, field } from "@/components/ui-classes";

function localDayBounds(day: string): { start: string; end: string } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  return {
    start: new Date(y, mo, d).toISOString(),
    end: new Date(y, mo, d + 1).toISOString(),
  };
}

export function LiveOnDayForm({ day, keep }: { day: string; keep: Record<string, string> }) {
  const [value, setValue] = useState(day);
  // Only in the browser: the server's zone is not the viewer's.
  const [inBrowser, setInBrowser] = useState(false);
  useEffect(() => setInBrowser(true), []);
  const id = useId();
  const bounds = inBrowser ? localDayBounds(value) : null;
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
      {bounds ? (
        <>
          <input type="hidden" name="start" value={bounds.start} />
          <input type="hidden" name="end" value={bounds.end} />
        </>
      ) : null}
      <button type="submit" className={button.primary}>
        Show
      </button>
    </form>
  );
}

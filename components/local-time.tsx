"use client";
// Shows a time in the viewer's own zone, with UTC on hover.
import { useEffect, useState } from "react";

export function LocalTime({ iso, seconds = false }: { iso: string; seconds?: boolean }) {
  const utc = `${iso.replace("T", " ").slice(0, 19)} UTC`;
  const [text, setText] = useState(utc);
  useEffect(() => {
    setText(
      new Date(iso).toLocaleString(undefined, {
        year: "numeric",
        month: "short",
        day: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        ...(seconds ? { second: "2-digit" } : {}),
      }),
    );
  }, [iso, seconds]);
  return (
    <time dateTime={iso} title={utc}>
      {text}
    </time>
  );
}

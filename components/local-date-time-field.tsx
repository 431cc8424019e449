"use client";
// A date-and-time input in the viewer's own zone that submits an ISO
// instant (UTC) under `name`, so the server compares with stored UTC times
// without knowing the viewer's zone. The visible input has no name of its own.
import { useEffect, useState } from "react";
import { field } from "@/components/ui-classes";

function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}`
  );
}

type Props = {
  id: string;
  name: string;
  iso: string;
  errorId?: string;
};

export function LocalDateTimeField({ id, name, iso, errorId }: Props) {
  const [value, setValue] = useState(iso);
  const [local, setLocal] = useState("");
  // Filled in the browser: the server's zone is not the viewer's.
  useEffect(() => setLocal(toLocalInput(iso)), [iso]);
  return (
    <>
      <input
        id={id}
        type="datetime-local"
        value={local}
        onChange={(e) => {
          setLocal(e.target.value);
          const d = new Date(e.target.value);
          setValue(e.target.value && !Number.isNaN(d.getTime()) ? d.toISOString() : "");
        }}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={errorId}
        className={field}
      />
      <input type="hidden" name={name} value={value} />
    </>
  );
}

"use client";
// Edit a policy with validation as you type and a dry run before saving.
// The server validates again on save; this only gives early feedback.
import { useEffect, useRef, useState, useTransition } from "react";
import { checkPolicyAction } from "@/app/actions/check-policy";
import { savePolicyAction } from "@/app/actions/save-policy";
import type { DryRunRow } from "@/lib/gate/dry-run";
import { StatusBadge } from "./status-badge";
import { button, field, outcomeText } from "@/components/ui-classes";

type Props = { model: string; environment: string; initialSource: string };
type Problem = { field: string; rule: string; message: string; line?: number | null };

const VALIDATE_DELAY_MS = 300;

export function PolicyEditor({ model, environment, initialSource }: Props) {
  const [source, setSource] = useState(initialSource);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [checked, setChecked] = useState(false);
  const [dryRun, setDryRun] = useState<{
    summary: string;
    rows: DryRunRow[];
    liveVersion: number | null;
  } | null>(null);
  const [saved, setSaved] = useState<{ ok: boolean; message: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const sourceRef = useRef<HTMLTextAreaElement>(null);
  // The button last pressed: disabled while it runs, which drops the focus to <body>.
  const pressed = useRef<HTMLButtonElement | null>(null);

  useEffect(() => {
    setChecked(false);
    const timer = setTimeout(async () => {
      const result = await checkPolicyAction(null, { model, environment, source });
      setProblems(
        result && !result.ok
          ? (result.errors ?? [{ field: "", rule: "", message: result.message }])
          : [],
      );
      setChecked(true);
    }, VALIDATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [model, environment, source]);

  const runDry = () =>
    startTransition(async () => {
      const result = await checkPolicyAction(null, { model, environment, source, dryRun: true });
      if (result?.ok && result.data) {
        const { rows, liveVersion } = result.data;
        setDryRun({ summary: result.message, rows, liveVersion });
      } else setProblems(result?.errors ?? []);
    });

  const save = () =>
    startTransition(async () => {
      const result = await savePolicyAction(null, { model, environment, source });
      setSaved(result ? { ok: result.ok, message: result.message } : null);
      if (result && !result.ok && result.errors) setProblems(result.errors);
    });

  const invalid = problems.length > 0;

  useEffect(() => {
    // Bring the focus back once done: to the policy when it has problems.
    if (pending || !pressed.current) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    (invalid ? sourceRef.current : pressed.current)?.focus();
  }, [pending, invalid]);
  return (
    <div className="space-y-3">
      <label htmlFor="policy-source" className="block text-sm font-medium">
        Policy (YAML)
      </label>
      <textarea
        ref={sourceRef}
        id="policy-source"
        value={source}
        onChange={(e) => {
          setSource(e.target.value);
          setSaved(null);
          setDryRun(null);
        }}
        rows={Math.max(12, source.split("\n").length + 2)}
        spellCheck={false}
        aria-invalid={invalid || undefined}
        aria-describedby="policy-problems"
        className={`${field} font-mono`}
      />
      <div id="policy-problems" aria-live="polite">
        {invalid ? (
          <ul
            className="space-y-1 text-sm text-red-700 dark:text-red-400"
            aria-label="Policy errors"
          >
            {problems.map((p, i) => (
              <li key={i}>
                {p.line ? `Line ${p.line}: ` : ""}
                {p.message}
                {p.rule ? (
                  <span className="text-gray-600 dark:text-gray-400"> ({p.rule})</span>
                ) : null}
              </li>
            ))}
          </ul>
        ) : checked ? (
          <p className="text-sm text-green-700 dark:text-green-400">The policy is valid.</p>
        ) : null}
      </div>
      <div className="flex gap-2">
        <button
          type="button"
          onClick={(e) => {
            pressed.current = e.currentTarget;
            runDry();
          }}
          disabled={pending || invalid}
          className="rounded border border-gray-400 px-4 py-2 text-sm font-medium disabled:opacity-50"
        >
          Dry run
        </button>
        <button
          type="button"
          onClick={(e) => {
            pressed.current = e.currentTarget;
            save();
          }}
          disabled={pending || invalid}
          className={button.primary}
        >
          Save policy
        </button>
      </div>
      {/* Always there, so a screen reader already watches it when the answer comes. */}
      <p role="status" aria-live="polite" className={`text-sm ${outcomeText(saved?.ok === true)}`}>
        {saved?.message ?? ""}
      </p>
      {dryRun ? (
        <section
          aria-label="Dry run"
          className="rounded border border-gray-200 p-3 dark:border-gray-800"
        >
          <p className="font-medium">{dryRun.summary}</p>
          <p className="text-sm text-gray-600 dark:text-gray-400">
            {dryRun.liveVersion
              ? `Comparisons use v${dryRun.liveVersion}, live in ${environment} now.`
              : `Nothing is live in ${environment}, so comparisons with it are skipped.`}
          </p>
          <table className="mt-2 w-full text-left text-sm">
            <thead className="text-gray-600 dark:text-gray-400">
              <tr>
                <th className="pr-3">Version</th>
                <th className="pr-3">Would be</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {dryRun.rows.map((r) => (
                <tr
                  key={r.version}
                  className="border-t border-gray-100 align-top dark:border-gray-800"
                >
                  <td className="py-1 pr-3">v{r.version}</td>
                  <td className="pr-3">
                    <StatusBadge status={r.outcome} />
                  </td>
                  <td>{r.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}

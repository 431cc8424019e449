// Tailwind class sets the pages share, so a panel, a field or a button looks
// the same everywhere and dark mode is set in one place.
export const panel =
  "rounded border border-gray-200 bg-white dark:border-gray-800 dark:bg-gray-900";

export const field =
  "w-full rounded border border-gray-300 bg-white p-2 text-sm dark:border-gray-700 " +
  "dark:bg-gray-900";

const buttonBase = "rounded px-4 py-2 text-sm font-medium text-white disabled:opacity-50";

export const button = {
  primary: `${buttonBase} bg-blue-700 hover:bg-blue-800`,
  approve: `${buttonBase} bg-green-700 hover:bg-green-800`,
  reject: `${buttonBase} bg-red-700 hover:bg-red-800`,
};

export const badge = {
  live: "rounded bg-blue-100 px-1.5 text-xs text-blue-900 dark:bg-blue-900 dark:text-blue-100",
};

/** The colour of an answer: green when it worked, red when it was refused. */
export function outcomeText(ok: boolean): string {
  return ok ? "text-green-700 dark:text-green-400" : "text-red-700 dark:text-red-400";
}

/** A whole notice box in the colour of its outcome. */
export function outcomeBox(ok: boolean): string {
  return ok
    ? "bg-green-50 text-green-900 dark:bg-green-950 dark:text-green-100"
    : "bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-100";
}

/**
 * A link inside text: underlined, so it never relies on colour alone; the
 * underline sits below the descenders so an `_` in a model name stays visible.
 * Links often hold a model name (up to 100 characters without a space): it
 * may break anywhere, so a table column or flex row holding it can shrink.
 */
export const textLink =
  "text-blue-700 underline underline-offset-4 hover:text-blue-900 dark:text-blue-400 " +
  "dark:hover:text-blue-300 wrap-anywhere";

// The dashboard's public address, for links in gate answers and webhooks.
export function appUrl(): string {
  return (
    process.env.APP_URL ??
    process.env.NEXTAUTH_URL ??
    `http://localhost:${process.env.PORT ?? 3000}`
  ).replace(/\/$/, "");
}

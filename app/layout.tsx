import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: "Model approval gate",
  description: "Register, review, decide, wait, deploy.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen antialiased">{children}</body>
    </html>
  );
}

// next-auth configuration: email and password, JWT sessions. The session
// carries only the user id; every check reads the user from the database.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db/client";
import { getUserByEmail } from "@/db/queries/users";
import { logFor } from "@/lib/log";
import { verifyPassword } from "./passwords";

const log = logFor("auth");
const credentials = z.object({
  email: z.string().trim().email().max(200),
  password: z.string().min(1).max(200),
});

// A real hash to compare against when the email is unknown, so both paths
// take the same time and answer the same way.
const DUMMY_HASH = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5j6R5o0W1bqzVYh6zIB9sxjE6iqS2m.";

// TODO: sign-in is not rate-limited yet, so passwords can be guessed as fast as
// bcrypt allows; per-account and per-address limits are issue 6.
export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(raw) {
        const parsed = credentials.safeParse(raw);
        if (!parsed.success) return null;
        const user = getUserByEmail(getDb(), parsed.data.email);
        const ok = await verifyPassword(parsed.data.password, user?.passwordHash ?? DUMMY_HASH);
        if (!user || !ok || user.disabled) {
          log.info({ email: parsed.data.email }, "sign-in refused");
          return null;
        }
        log.info({ user: user.id }, "signed in");
        return { id: String(user.id), name: user.name, email: user.email };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) token.uid = Number(user.id);
      return token;
    },
    async session({ session, token }) {
      if (session.user) (session.user as { id?: number }).id = token.uid as number;
      return session;
    },
  },
};

// next-auth configuration: email and password, JWT sessions. The session
// carries only the user id; every check reads the user from the database.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db/client";
import { clientAddress } from "@/lib/http/client-address";
import { MAX_LENGTH } from "@/lib/limits";
import { checkSignIn, TOO_MANY_ATTEMPTS } from "./sign-in";

const credentials = z.object({
  email: z.string().trim().email().max(MAX_LENGTH.email),
  password: z.string().min(1).max(200),
});

// Cookies keep next-auth's defaults, which docs/security.md relies on and
// tests/unit/auth/cookies.test.ts checks: HttpOnly, SameSite=Lax, and Secure
// with the __Secure- prefix when NEXTAUTH_URL is https.
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
      async authorize(raw, req) {
        const parsed = credentials.safeParse(raw);
        if (!parsed.success) return null;
        const address = clientAddress(req?.headers ?? {});
        const result = await checkSignIn(getDb(), parsed.data, address);
        // next-auth passes a thrown message to the login form as its error.
        if (!result.ok && result.reason === "limited") {
          throw new Error(`${TOO_MANY_ATTEMPTS}:${result.retryAfterMinutes}`);
        }
        if (!result.ok) return null;
        const { user } = result;
        return { id: String(user.id), name: user.name, email: user.email };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      // Kept through every renewal of the cookie (`iat` is not): a person
      // disabled after this moment must sign in again (lib/auth/current-user.ts).
      if (user) {
        token.uid = Number(user.id);
        token.signedInAt = Date.now();
      }
      return token;
    },
    async session({ session, token }) {
      if (session.user) {
        const user = session.user as { id?: number; signedInAt?: number };
        user.id = token.uid as number;
        user.signedInAt =
          typeof token.signedInAt === "number" ? token.signedInAt : Number(token.iat ?? 0) * 1000;
      }
      return session;
    },
  },
};

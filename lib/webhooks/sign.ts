// Standard Webhooks signing: HMAC-SHA256 over "id.timestamp.body" with the
// webhook's `whsec_` key, done by the reference library rather than by hand.
import { Webhook } from "standardwebhooks";

export type SignedHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

export function signedHeaders(
  secret: string,
  messageId: string,
  at: Date,
  body: string,
): SignedHeaders {
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(messageId, at, body),
  };
}

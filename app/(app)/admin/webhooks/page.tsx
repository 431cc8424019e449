import { getDb } from "@/db/client";
import {
  createWebhookAction,
  resendDeliveryAction,
  setWebhookActiveAction,
} from "@/app/actions/manage-webhooks";
import { ActionForm } from "@/components/action-form";
import { NewWebhookForm } from "@/components/new-webhook-form";
import { WebhookDeliveries } from "@/components/webhook-deliveries";
import { loadOrRefuse, requirePageUser } from "@/lib/http/page-user";
import { EVENT_TYPES } from "@/lib/webhooks/emit";
import { DELIVERIES_SHOWN, listWebhooksWithDeliveries } from "@/lib/webhooks/manage";
import { MAX_ATTEMPTS, RETRY_DELAYS_MS } from "@/lib/webhooks/retry-schedule";

export const dynamic = "force-dynamic";

const retryHours = Math.round(RETRY_DELAYS_MS.reduce((a, b) => a + b, 0) / 3_600_000);

export default async function WebhooksPage() {
  const user = await requirePageUser();
  const loaded = await loadOrRefuse(user, "/admin/webhooks", () =>
    listWebhooksWithDeliveries(getDb(), { type: "user", user }),
  );
  if (!loaded.ok) {
    return (
      <p className="text-sm" role="alert">
        Webhooks are managed by admins. {loaded.why}
      </p>
    );
  }
  const webhooks = loaded.page;
  return (
    <div className="space-y-8">
      <section aria-labelledby="webhooks-heading" className="space-y-3">
        <h1 id="webhooks-heading" className="text-2xl font-semibold">
          Webhooks
        </h1>
        <p className="text-sm text-gray-600 dark:text-gray-400">
          Each event is POSTed as JSON and signed the Standard Webhooks way (headers{" "}
          <code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>).
          A failed delivery is tried again {MAX_ATTEMPTS - 1} times over about {retryHours} hours,
          then marked failed.
        </p>
        <NewWebhookForm action={createWebhookAction} events={EVENT_TYPES} />
      </section>
      {webhooks.length === 0 ? (
        <p className="text-sm text-gray-600 dark:text-gray-400">No webhooks yet.</p>
      ) : null}
      {webhooks.map((w) => (
        <section
          key={w.id}
          aria-label={`Webhook #${w.id}`}
          className="space-y-2 rounded border border-gray-200 p-3 dark:border-gray-800"
        >
          <h2 className="break-all font-medium">
            #{w.id} {w.url}{" "}
            <span className="text-sm font-normal text-gray-600 dark:text-gray-400">
              {w.active ? "active" : "disabled"}
            </span>
          </h2>
          <p className="font-mono text-xs">{w.events.join(", ")}</p>
          <ActionForm
            action={setWebhookActiveAction}
            label={`${w.active ? "Disable" : "Enable"} webhook #${w.id}`}
            submit={w.active ? "Disable" : "Enable"}
          >
            <input type="hidden" name="id" value={w.id} />
            <input type="hidden" name="active" value={w.active ? "false" : "true"} />
          </ActionForm>
          <h3 className="text-sm font-medium">Last {DELIVERIES_SHOWN} deliveries</h3>
          <WebhookDeliveries deliveries={w.deliveries} resend={resendDeliveryAction} />
        </section>
      ))}
    </div>
  );
}

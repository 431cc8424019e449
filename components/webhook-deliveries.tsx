// A webhook's newest deliveries, each with what the receiver last answered
// and a way to send it again.
import { ActionForm } from "@/components/action-form";
import { LocalTime } from "@/components/local-time";
import type { ActionState } from "@/lib/http/server-action";

export type DeliveryRow = {
  id: number;
  eventType: string;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
};

const head = "border-b border-gray-200 text-gray-600 dark:border-gray-800 dark:text-gray-400";
const badge = "inline-block rounded px-2 py-0.5 text-xs font-medium";

const STATUS_STYLES: Record<DeliveryRow["status"], string> = {
  succeeded: "bg-green-100 text-green-800 dark:bg-green-900 dark:text-green-100",
  pending: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100",
  failed: "bg-red-100 text-red-800 dark:bg-red-900 dark:text-red-100",
};

export function WebhookDeliveries({
  deliveries,
  resend,
}: {
  deliveries: DeliveryRow[];
  resend: (prev: ActionState, form: FormData) => Promise<ActionState>;
}) {
  if (deliveries.length === 0) {
    return <p className="text-sm text-gray-600 dark:text-gray-400">No deliveries yet.</p>;
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[48rem] text-left text-sm">
        <thead className={head}>
          <tr>
            <th className="py-2 pr-3">Queued</th>
            <th className="pr-3">Event</th>
            <th className="pr-3">Status</th>
            <th className="pr-3">Attempts</th>
            <th className="pr-3">Last answer</th>
            <th className="pr-3">Delivered / next try</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id} className="border-b border-gray-100 align-top dark:border-gray-900">
              <td className="whitespace-nowrap py-2 pr-3">
                <LocalTime iso={d.createdAt.toISOString()} seconds />
              </td>
              <td className="pr-3 font-mono text-xs">{d.eventType}</td>
              <td className="pr-3">
                <span className={`${badge} ${STATUS_STYLES[d.status]}`}>{d.status}</span>
              </td>
              <td className="pr-3">{d.attempts}</td>
              <td className="pr-3">{lastAnswer(d)}</td>
              <td className="whitespace-nowrap pr-3">{when(d)}</td>
              <td>
                <ActionForm
                  action={resend}
                  label={`Send delivery ${d.id} again`}
                  submit="Send again"
                >
                  <input type="hidden" name="id" value={d.id} />
                </ActionForm>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function lastAnswer(d: DeliveryRow): string {
  if (d.attempts === 0) return "not tried yet";
  if (d.lastError === null) return `HTTP ${d.lastStatusCode ?? "?"}`;
  return d.lastError;
}

function when(d: DeliveryRow) {
  const at =
    d.status === "succeeded" ? d.deliveredAt : d.status === "pending" ? d.nextAttemptAt : null;
  if (!at) return "—";
  return <LocalTime iso={at.toISOString()} seconds />;
}

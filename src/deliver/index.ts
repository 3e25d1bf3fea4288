/** The delivery module's public face: send a day, and find what is still to send. */
export { type DeliverContext, deliverDay, pendingDeliveries } from "./deliver-day.js";
export type { DeliveryChannel } from "./plan.js";
export { type WebhookPayload, webhookPayload } from "./webhook.js";

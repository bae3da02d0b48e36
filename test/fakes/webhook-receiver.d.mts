export interface WebhookReceiver {
  baseUrl: string;
  close(): Promise<void>;
}
export function startWebhookReceiver(): Promise<WebhookReceiver>;

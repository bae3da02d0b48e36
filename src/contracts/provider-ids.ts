/** Where a task can run: Workers AI, Hugging Face (serverless or a dedicated endpoint), or inside the Worker. */
export const PROVIDER_IDS = ['workers-ai', 'huggingface', 'local'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}

/**
 * A text-generation model's `response`, as text. The binding usually answers a string, but a
 * token or an answer that parses as JSON arrives parsed: `{"response": 2024}` (a number) or an
 * object (a model that answered JSON). Cloudflare's own SDK (cloudflare/ai, workers-ai-provider)
 * turns them back into text the same way: `String(number)`, `JSON.stringify(object)`. Absent or
 * null → undefined (the caller decides whether that is a broken answer or an empty delta).
 */
export function responseText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return undefined;
}

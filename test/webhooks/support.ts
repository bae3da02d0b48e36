import { env } from 'cloudflare:test';
import { call, json, type TestTenant } from '../support/api';

const bytes = (text: string) => new TextEncoder().encode(text);
const hex = (data: ArrayBuffer) => [...new Uint8Array(data)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
const base64 = (data: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(data)));

async function hmac(key: Uint8Array, message: string): Promise<ArrayBuffer> {
  const imported = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return crypto.subtle.sign('HMAC', imported, bytes(message));
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
export const STANDARD_SECRET = `whsec_${btoa('a test secret for the sender side!')}`;

/** The signing side of each scheme, written from each sender's documentation (not with minnow's code). */
export const sign = {
  async standard(secret: string, body: string, id = `msg_${crypto.randomUUID()}`, timestamp = nowSeconds()): Promise<Record<string, string>> {
    const key = Uint8Array.from(atob(secret.replace(/^whsec_/, '')), (char) => char.charCodeAt(0));
    return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${base64(await hmac(key, `${id}.${timestamp}.${body}`))}` };
  },
  async github(secret: string, body: string, delivery = crypto.randomUUID()): Promise<Record<string, string>> {
    return { 'x-hub-signature-256': `sha256=${hex(await hmac(bytes(secret), body))}`, 'x-github-delivery': delivery, 'x-github-event': 'issues' };
  },
  async stripe(secret: string, body: string, timestamp = nowSeconds()): Promise<Record<string, string>> {
    return { 'stripe-signature': `t=${timestamp},v1=${hex(await hmac(bytes(secret), `${timestamp}.${body}`))}` };
  },
  async hmac(secret: string, body: string): Promise<Record<string, string>> {
    return { 'x-signature': `sha256=${hex(await hmac(bytes(secret), body))}` };
  },
};

/** Standard Webhooks verification written from the spec: does any v1 signature match this secret? */
export async function signedWith(secret: string, headers: Record<string, string>, body: string): Promise<boolean> {
  const expected = (await sign.standard(secret, body, headers['webhook-id'], Number(headers['webhook-timestamp'])))['webhook-signature'];
  return headers['webhook-signature']!.split(' ').includes(expected!);
}

/** A receiver bucket of its own for one test, answering as `control` says. */
export async function receiverBucket(control: Record<string, unknown> = {}): Promise<{ url: string; control(next: Record<string, unknown>): Promise<void>; received(): Promise<Received[]> }> {
  const name = crypto.randomUUID();
  const put = (next: Record<string, unknown>) => fetch(`${env.WEBHOOK_RECEIVER_URL}/__control/${name}`, { method: 'PUT', body: JSON.stringify(next) }).then(() => undefined);
  await put(control);
  return {
    url: `${env.WEBHOOK_RECEIVER_URL}/r/${name}`,
    control: put,
    received: async () => ((await (await fetch(`${env.WEBHOOK_RECEIVER_URL}/__received/${name}`)).json()) as { requests: Received[] }).requests,
  };
}

export interface Received {
  headers: Record<string, string>;
  body: string;
  answered: number;
  verified: boolean | null;
}

export async function createHook(tenant: TestTenant, config: Record<string, unknown>): Promise<any> {
  const response = await call('/v1/webhooks', { headers: tenant.auth, body: config });
  const body = await json(response);
  if (response.status !== 201) throw new Error(`creating the hook failed: ${JSON.stringify(body)}`);
  return body;
}

/** Posts a signed inbound delivery. */
export function postInbound(hookId: string, body: string, headers: Record<string, string>) {
  return call(`/hooks/${hookId}`, { rawBody: body, headers: { 'content-type': 'application/json', ...headers } });
}

export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

export async function deliveries(tenant: TestTenant, hookId: string): Promise<any[]> {
  return (await json(await call(`/v1/webhooks/${hookId}/deliveries`, { headers: tenant.auth }))).data;
}

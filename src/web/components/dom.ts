import { createClient, type MinnowClient, MinnowError } from '../sdk/index';

/**
 * DOM helpers for the components. Everything is built from elements and text nodes — never HTML
 * strings — so answers cannot inject markup, and pages with Trusted Types enforced still work.
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** A stylesheet adopted by each shadow root: not an inline `<style>`, so a page's CSP does not block it. */
export function sheet(css: string): CSSStyleSheet {
  const styles = new CSSStyleSheet();
  styles.replaceSync(css);
  return styles;
}

/** Theme variables every component reads; a page overrides them on the element or any ancestor. */
export const THEME = `:host{--_accent:var(--minnow-accent,#0b5fff);--_on-accent:var(--minnow-on-accent,#fff);--_bg:var(--minnow-bg,#fff);--_fg:var(--minnow-fg,#1b1f24);--_muted:var(--minnow-muted,#5b6470);--_border:var(--minnow-border,#d0d5dc);--_radius:var(--minnow-radius,10px);font-family:var(--minnow-font,system-ui,sans-serif);color:var(--_fg)}
*{box-sizing:border-box}
button,input,textarea{font:inherit}
button{cursor:pointer;border:0;border-radius:var(--_radius);background:var(--_accent);color:var(--_on-accent);padding:.5em .9em}
button:disabled{opacity:.6;cursor:default}
:focus-visible{outline:2px solid var(--_accent);outline-offset:2px}
input,textarea{border:1px solid var(--_border);border-radius:var(--_radius);padding:.5em .7em;background:var(--_bg);color:var(--_fg);min-width:0}
.error{color:var(--minnow-error,#b3261e)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}`;

/** What a page may set on a component as a property (not an attribute: it is a function). */
export interface MinnowElement extends HTMLElement {
  /** For keys with Turnstile on: returns a fresh widget token when one is needed. */
  turnstile?: () => string | Promise<string>;
}

const clients = new WeakMap<HTMLElement, { settings: string; client: MinnowClient }>();

/**
 * The client for the element's `key`, `base-url` (default: where components.js was loaded from)
 * and `visitor-token`; kept per element while those stay the same, so a visitor token is reused.
 */
export function clientFor(element: MinnowElement): MinnowClient {
  const key = element.getAttribute('key');
  if (!key) throw new MinnowError(0, { code: 'missing_key', message: `<${element.localName}> needs a key="pk_…" attribute` });
  const baseUrl = element.getAttribute('base-url') ?? new URL(import.meta.url).origin;
  const visitorToken = element.hasAttribute('visitor-token');
  const settings = JSON.stringify([key, baseUrl, visitorToken]);
  const known = clients.get(element);
  if (known?.settings === settings) return known.client;
  // Read when a token is needed, so a page may set `element.turnstile` at any time.
  const client = createClient({ key, baseUrl, visitorToken, turnstile: async () => (element.turnstile ? element.turnstile() : '') });
  clients.set(element, { settings, client });
  return client;
}

/** What to tell a visitor: the API's message and code (a site owner reads it in bug reports). */
export function describeError(error: unknown): string {
  if (error instanceof MinnowError) return `${error.message} (${error.code}${error.requestId ? `, request ${error.requestId}` : ''})`;
  return error instanceof Error ? error.message : String(error);
}

/** Only http(s) links: a knowledge-base URL must not become a `javascript:` link. */
export function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

import type { SearchResult } from '../sdk/index';
import { clientFor, describeError, el, safeHref, sheet, THEME, type MinnowElement } from './dom';

const STYLE = `${THEME}
form{display:flex;gap:.5em;align-items:center;flex-wrap:wrap}
input{flex:1}
ol{list-style:none;margin:.75em 0 0;padding:0;display:grid;gap:.6em}
li{border:1px solid var(--_border);border-radius:var(--_radius);padding:.6em .8em;background:var(--_bg)}
.title{font-weight:600;color:var(--_accent)}
.text{margin:.25em 0 0;color:var(--_muted)}
.status{margin:.5em 0 0;color:var(--_muted);font-size:.9em}`;

let styles: CSSStyleSheet | undefined;

/**
 * `<minnow-search kb="docs" key="pk_…">`: a search box over a knowledge base.
 * Attributes: `kb`, `key`, `base-url`, `placeholder`, `label` (default "Search"), `top-k` (default 5).
 * Results are announced in a polite live region; errors in an alert.
 */
export class MinnowSearch extends HTMLElement implements MinnowElement {
  turnstile?: () => string | Promise<string>;

  private readonly input = el('input', { type: 'search', id: 'q', autocomplete: 'off', part: 'input' });
  private readonly list = el('ol', { part: 'results' });
  private readonly status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite' });

  connectedCallback(): void {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [(styles ??= sheet(STYLE))];
    this.input.placeholder = this.getAttribute('placeholder') ?? 'Search…';
    const label = el('label', { for: 'q', class: this.hasAttribute('label') ? '' : 'sr' }, this.getAttribute('label') ?? 'Search');
    const form = el('form', { role: 'search', part: 'form' }, label, this.input, el('button', { type: 'submit', part: 'button' }, 'Search'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.search(this.input.value.trim());
    });
    root.append(form, this.status, this.list);
  }

  /** Runs a search (also what submitting the form does); resolves when the results are shown. */
  async search(query: string): Promise<void> {
    if (!query) return;
    this.input.value = query;
    this.status.className = 'status';
    this.status.textContent = 'Searching…';
    this.setAttribute('aria-busy', 'true');
    try {
      const kb = this.getAttribute('kb') ?? '';
      const { results } = await clientFor(this).search(kb, { query, top_k: Number(this.getAttribute('top-k') ?? 5) });
      this.list.replaceChildren(...results.map((result) => this.item(result)));
      this.status.textContent = results.length ? `${results.length} result${results.length === 1 ? '' : 's'} for “${query}”` : `No results for “${query}”`;
      this.dispatchEvent(new CustomEvent('minnow-results', { detail: { query, results } }));
    } catch (error) {
      this.list.replaceChildren();
      this.status.className = 'status error';
      this.status.textContent = `Search failed: ${describeError(error)}`;
      this.dispatchEvent(new CustomEvent('minnow-error', { detail: error }));
    } finally {
      this.removeAttribute('aria-busy');
    }
  }

  private item(result: SearchResult): HTMLLIElement {
    const href = safeHref(result.url);
    const title = href ? el('a', { class: 'title', href }, result.title) : el('span', { class: 'title' }, result.title);
    return el('li', { part: 'result' }, title, el('p', { class: 'text' }, result.text));
  }
}

import type { Citation, Handoff } from '../sdk/index';
import { clientFor, describeError, el, safeHref, sheet, THEME, type MinnowElement } from './dom';

const STYLE = `${THEME}
:host{position:fixed;right:var(--minnow-inset,1.25rem);bottom:var(--minnow-inset,1.25rem);z-index:var(--minnow-z,2147483000);display:flex;flex-direction:column;align-items:flex-end}
:host([inline]){position:static}
.bubble{border-radius:999px;padding:.75em 1.1em;box-shadow:0 4px 14px rgb(0 0 0/.2)}
.panel{width:min(380px,calc(100vw - 2.5rem));max-height:min(560px,calc(100vh - 6rem));display:flex;flex-direction:column;background:var(--_bg);border:1px solid var(--_border);border-radius:var(--_radius);box-shadow:0 8px 28px rgb(0 0 0/.22);margin-bottom:.6em;overflow:hidden}
.panel[hidden]{display:none}
header{display:flex;justify-content:space-between;align-items:center;padding:.6em .8em;background:var(--_accent);color:var(--_on-accent)}
header h2{font-size:1em;margin:0}
header button{background:transparent;padding:.2em .5em}
.log{flex:1;overflow-y:auto;padding:.8em;display:grid;gap:.6em;align-content:start}
.msg{margin:0;padding:.5em .75em;border-radius:var(--_radius);white-space:pre-wrap;max-width:90%}
.user{background:var(--_accent);color:var(--_on-accent);justify-self:end}
.assistant{background:var(--minnow-assistant-bg,#f1f3f6);justify-self:start}
.sources{margin:-.3em 0 0;padding-left:1.2em;font-size:.85em;color:var(--_muted)}
.handoff{margin:0;border-left:3px solid var(--_accent);padding:.4em .6em;font-size:.9em;background:var(--minnow-assistant-bg,#f1f3f6)}
form{display:flex;gap:.5em;padding:.6em;border-top:1px solid var(--_border)}
input{flex:1}`;

let styles: CSSStyleSheet | undefined;

/**
 * `<minnow-chat bot="support" key="pk_…">`: a support chat bubble. The answer streams into the
 * conversation log (an ARIA live region, so screen readers read it), with its sources and, when
 * the bot hands the conversation to a person, a notice saying so.
 * Attributes: `bot`, `key`, `base-url`, `title` (default "Support"), `greeting`, `open`, `inline`.
 */
export class MinnowChat extends HTMLElement implements MinnowElement {
  turnstile?: () => string | Promise<string>;

  private readonly log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions text', part: 'log' });
  private readonly input = el('input', { id: 'message', autocomplete: 'off', part: 'input' });
  private readonly send = el('button', { type: 'submit', part: 'send' }, 'Send');
  private readonly panel = el('section', { class: 'panel', id: 'panel', part: 'panel' });
  private readonly bubble = el('button', { class: 'bubble', type: 'button', 'aria-controls': 'panel', 'aria-expanded': 'false', part: 'bubble' });
  private conversationId: string | undefined;

  connectedCallback(): void {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [(styles ??= sheet(STYLE))];
    const title = this.getAttribute('title') ?? 'Support';
    this.removeAttribute('title'); // the host's title would show as a tooltip over the whole widget
    this.bubble.textContent = title;
    this.panel.setAttribute('aria-labelledby', 'chat-title');
    const close = el('button', { type: 'button', 'aria-label': 'Close chat' }, '✕');
    const form = el('form', {}, el('label', { for: 'message', class: 'sr' }, 'Message'), this.input, this.send);
    this.input.placeholder = 'Ask a question…';
    this.panel.append(el('header', {}, el('h2', { id: 'chat-title' }, title), close), this.log, form);
    const greeting = this.getAttribute('greeting');
    if (greeting) this.log.append(el('p', { class: 'msg assistant' }, greeting));
    root.append(this.panel, this.bubble);

    this.bubble.addEventListener('click', () => this.toggle(Boolean(this.panel.hidden)));
    close.addEventListener('click', () => this.toggle(false));
    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.toggle(false);
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.ask(this.input.value.trim());
    });
    this.toggle(this.hasAttribute('open'));
  }

  /** Opens or closes the panel; focus goes to the message box, and back to the bubble on close. */
  toggle(open: boolean): void {
    const wasOpen = !this.panel.hidden;
    this.panel.hidden = !open;
    this.bubble.setAttribute('aria-expanded', String(open));
    if (open) this.input.focus();
    else if (wasOpen) this.bubble.focus();
  }

  /** Sends one message and streams the answer; resolves when it is complete. */
  async ask(message: string): Promise<void> {
    if (!message) return;
    this.toggle(true);
    this.input.value = '';
    this.send.disabled = true;
    this.log.append(el('p', { class: 'msg user' }, el('span', { class: 'sr' }, 'You: '), message));
    const answer = el('p', { class: 'msg assistant' });
    this.log.append(answer);
    this.log.setAttribute('aria-busy', 'true');
    try {
      const stream = clientFor(this).chatStream({ bot: this.getAttribute('bot') ?? '', message, ...(this.conversationId ? { conversation_id: this.conversationId } : {}) });
      let citations: Citation[] = [];
      let handedOff = false;
      for await (const event of stream) {
        if (event.type === 'start') {
          this.conversationId = event.conversation_id;
          citations = event.citations;
        } else if (event.type === 'delta') {
          answer.append(event.content);
          this.log.scrollTop = this.log.scrollHeight;
        } else if (event.type === 'handoff') {
          handedOff = true;
          this.showHandoff(event);
        } else {
          // The complete answer is the streamed pieces joined; write it only if they differ, so a
          // screen reader does not hear the answer twice.
          if (answer.textContent !== event.response.message.content) answer.textContent = event.response.message.content;
          citations = event.response.citations;
          this.conversationId = event.response.conversation_id;
          if (event.response.handoff && !handedOff) this.showHandoff(event.response.handoff);
        }
      }
      if (citations.length) answer.after(this.sources(citations));
      this.dispatchEvent(new CustomEvent('minnow-answer', { detail: { conversation_id: this.conversationId, content: answer.textContent } }));
    } catch (error) {
      answer.className = 'msg assistant error';
      answer.setAttribute('role', 'alert');
      answer.textContent = `Sorry, that did not work: ${describeError(error)}`;
      this.dispatchEvent(new CustomEvent('minnow-error', { detail: error }));
    } finally {
      this.log.removeAttribute('aria-busy');
      this.send.disabled = false;
      this.log.scrollTop = this.log.scrollHeight;
    }
  }

  private sources(citations: Citation[]): HTMLElement {
    const items = citations.map((citation) => {
      const href = safeHref(citation.url);
      const name = href ? el('a', { href, target: '_blank', rel: 'noopener' }, citation.title) : citation.title;
      return el('li', { value: String(citation.index) }, name);
    });
    return el('ol', { class: 'sources', 'aria-label': 'Sources', part: 'sources' }, ...items);
  }

  /**
   * A visible marker that a person takes over. The bot's answer already says so in its own words
   * (minnow puts the handoff message in the content), so the note does not repeat the message.
   */
  private showHandoff(_handoff: Handoff): void {
    this.log.append(el('p', { class: 'handoff', role: 'note', part: 'handoff' }, el('strong', {}, 'Handing over to a person.')));
  }
}

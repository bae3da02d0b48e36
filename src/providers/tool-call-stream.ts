import type { ProviderId } from '../contracts/provider-ids';
import type { GenerationRequest, ToolCall } from './chat-types';
import { checkCall, checkCallMade } from './structured-output';
import { malformedUpstreamResponse } from './upstream-errors';
import { randomBase62 } from '../security/crypto';

/**
 * One streamed piece of a function call, as the upstreams send it (either shape, normalised by
 * the provider): `index` says which call it belongs to; the first piece of a call carries its id
 * and name, later ones `arguments` text to append. Workers AI's native events may instead carry a
 * whole call without an index (`{name, arguments: {…}}`); `arguments` is then an object.
 */
export interface ToolCallFragment {
  index?: number | null;
  id?: string | null;
  name?: string | null;
  arguments?: unknown;
}

/** `call_` + 24 letters/digits: for calls the upstream sent without an id (a tool result must name one). */
export const newToolCallId = (): string => `call_${randomBase62(24)}`;

interface OpenCall {
  index: number;
  id: string;
  name: string;
  arguments: string;
}

/**
 * Joins a stream's function-call fragments into calls and checks each one as soon as it is whole
 * (the same checks as an unstreamed answer: providers/structured-output.ts). Calls stream one
 * after another, so a call is whole when a fragment of another index arrives, when Workers AI's
 * null "finalization" fragment (`{id: null, function: {name: null}}`) arrives, or at the end of
 * the stream (cloudflare/ai packages/workers-ai-provider src/streaming.ts emitToolCallDeltas; the
 * OpenAI and HF chat-completion stream formats: HF-spec chat-completion stream_output.json).
 * A call that fails a check throws invalid_model_output at once.
 */
export class ToolCallAssembler {
  private open: OpenCall | undefined;
  private made = 0;

  constructor(
    private readonly provider: ProviderId,
    private readonly request: GenerationRequest,
  ) {}

  /** Adds a fragment; returns the call it completed (the previous one), if any. */
  push(fragment: ToolCallFragment): ToolCall[] {
    const name = fragment.name || undefined;
    const id = fragment.id || undefined;
    const empty = !name && !id && (fragment.arguments === undefined || fragment.arguments === null || fragment.arguments === '');
    // Workers AI's finalization entry has no index; an empty fragment of a known index adds nothing.
    if (empty) return typeof fragment.index === 'number' ? [] : this.close();
    const index = typeof fragment.index === 'number' ? fragment.index : this.indexOf(name);
    const done = this.open && this.open.index !== index ? this.close() : [];
    if (!this.open) this.open = { index, id: id ?? '', name: name ?? '', arguments: '' };
    const open = this.open;
    if (!open.id && id) open.id = id;
    if (!open.name && name) open.name = name;
    const args = fragment.arguments;
    if (args !== undefined && args !== null) open.arguments += typeof args === 'string' ? args : JSON.stringify(args);
    return done;
  }

  /** The end of the stream: the last call, and a check that a required call was made. */
  finish(): ToolCall[] {
    const last = this.close();
    if (this.made === 0) checkCallMade(this.provider, this.request);
    return last;
  }

  /** Without an index, a fragment that names a function starts the next call (Workers AI's whole calls); others continue the open one. */
  private indexOf(name: string | undefined): number {
    if (!this.open) return this.made;
    return name ? this.open.index + 1 : this.open.index;
  }

  private close(): ToolCall[] {
    const open = this.open;
    if (!open) return [];
    this.open = undefined;
    if (!open.name) throw malformedUpstreamResponse(this.provider, 'a streamed tool call has no function name');
    const call: ToolCall = { id: open.id || newToolCallId(), name: open.name, arguments: open.arguments || '{}' };
    checkCall(this.provider, this.request, call);
    this.made += 1;
    // parallel_tool_calls: false keeps the first call, as the unstreamed check does.
    return this.request.parallel_tool_calls === false && this.made > 1 ? [] : [call];
  }
}

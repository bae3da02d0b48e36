import type { TenantPolicy } from '../contracts/policy';
import { ApiError } from '../contracts/errors';
import { runTask } from '../pipeline/run-task';
import type { TaskContext } from '../pipeline/context';
import type { GenerationRequest, GenerationResult, ToolCall } from '../providers/chat-types';
import { quotedPassages } from '../providers/local/chat-quote';
import { estimateTokens } from '../providers/pricing';
import { enterStepCircuit, planProviders, timeoutMs, type FailedAttempt, type PlannedProvider } from '../providers/router';
import { isProviderId, PROVIDER_IDS, type ProviderId } from '../contracts/provider-ids';
import type { Bindings } from '../contracts/env';
import { upstreamError } from '../providers/upstream-errors';
import { cacheKey, readCached, writeCached, type CachedResult } from '../storage/response-cache';
import { chatGenerationTask, generationUnits, promptTokens } from '../tasks/chat/task';
import { supportsFeature, type AgentFeature } from '../tasks/chat/models';
import { meterStream, priceOf, type Cost } from './metering';

export interface GeneratedAnswer {
  text: string;
  /** Functions the model called (agent requests), each whole and checked. */
  toolCalls?: ToolCall[];
  provider: ProviderId;
  model: string;
  /** `quoted` when the local tier answered (no language model). */
  mode: 'generated' | 'quoted';
  fallbackFrom: { provider: ProviderId; code: string }[];
  /** Providers that finished an answer another provider started (mid-stream fallback). */
  continuedBy: { provider: ProviderId; model: string }[];
  cost: Cost;
  promptTokens: number;
  completionTokens: number;
}

const INVALID_OUTPUT = 'invalid_model_output';

/** Asked of the next model when the one writing the answer failed mid-stream. */
export const CONTINUE_INSTRUCTION = 'Your previous answer was cut off. Continue it from exactly where it stopped, without repeating any of it.';
/** Added before the quoted passages when only the local tier is left to finish an interrupted answer. */
export const INTERRUPTED_NOTE = '(The answer was interrupted. Here is what our documentation says:)';

type Step = PlannedProvider<GenerationRequest, GenerationResult, unknown>;


/** Non-streamed: one runTask call (cache, single-flight, fallback, metering) under the turn's chat policy. */
export async function generate(ctx: TaskContext, request: GenerationRequest): Promise<GeneratedAnswer> {
  const { envelope } = await runTask<GenerationResult>(ctx, chatGenerationTask, request);
  const result = envelope.results[0]!;
  return {
    text: result.text,
    ...(result.tool_calls ? { toolCalls: result.tool_calls } : {}),
    provider: envelope.provider,
    model: envelope.model,
    mode: envelope.provider === 'local' ? 'quoted' : 'generated',
    fallbackFrom: envelope.fallback_from?.map(({ provider, code }) => ({ provider: provider as ProviderId, code })) ?? [],
    continuedBy: [],
    cost: { cost_usd: envelope.usage.cost_usd, neurons: envelope.usage.neurons ?? 0 },
    promptTokens: result.usage?.prompt_tokens ?? promptTokens(request),
    completionTokens: result.usage?.completion_tokens ?? estimateTokens(result.text),
  };
}

/**
 * A stream is judged by its silences, not its length: each delta (the first included) must come
 * within PROVIDER_TIMEOUT_MS of the last, so a slow but steady answer is not cut. So that a drip
 * cannot hold a request forever, one provider's whole answer is also capped at this many
 * provider timeouts (60 s by default); past it the next provider continues the answer.
 */
export const STREAM_TOTAL_TIMEOUTS = 6;

/** The next delta, or an upstream timeout when none comes within the idle timeout or before the deadline. */
async function nextWithin<T>(iterator: AsyncIterator<T>, provider: ProviderId, idleMs: number, deadline: number, onTimeout: () => void): Promise<IteratorResult<T>> {
  let timer: number | undefined;
  const untilDeadline = deadline - Date.now();
  const reason = untilDeadline < idleMs ? `the answer took longer than ${STREAM_TOTAL_TIMEOUTS} provider timeouts` : 'no output within the provider timeout';
  const idle = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(upstreamError(provider, 408, reason));
    }, Math.max(0, Math.min(idleMs, untilDeadline)));
  });
  try {
    return await Promise.race([iterator.next(), idle]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

function continuation(request: GenerationRequest, partial: string): GenerationRequest {
  return { ...request, messages: [...request.messages, { role: 'assistant', content: partial }, { role: 'user', content: CONTINUE_INSTRUCTION }] };
}

/**
 * Streamed: tries the plan in order. A provider that fails before its first delta is skipped
 * silently; one that fails mid-stream is continued by the next: a language model is asked to
 * continue the partial answer, the local tier appends INTERRUPTED_NOTE and the quoted passages.
 * Only when no provider is left does it throw (the route turns that into an `error` event).
 * When `clientGone` aborts, generation stops after the current delta and the partial answer stands.
 *
 * With tools, text still streams live; function calls arrive whole and checked and are returned
 * with the answer (held, so the caller moderates their arguments with the text before passing them
 * on). An agent answer is never continued by another provider once text has gone out, and a call
 * that fails its check (invalid_model_output) is not billed: before any text the next provider may
 * try; after it the error ends the stream, since streamed text cannot be taken back.
 */
export async function generateStreaming(ctx: TaskContext, request: GenerationRequest, emit: (delta: string) => Promise<void>, clientGone?: AbortSignal): Promise<GeneratedAnswer> {
  const plan = planProviders(ctx.env, chatGenerationTask, ctx.policy) as Step[];
  // The same cache entry a non-streamed turn reads and fills: an identical prompt is answered once.
  const primary = plan[0]!;
  const key = await cacheKey({
    scope: `tenant:${ctx.policy.tenantId}`,
    task: chatGenerationTask.name,
    model: `${primary.mapping.provider}/${primary.model}`,
    item: chatGenerationTask.canonicalItem(request),
    options: {},
  });
  const [cached] = ctx.noCache ? [null] : await readCached(ctx.env.CACHE, [key]);
  if (cached) return replay(ctx, request, cached as CachedResult<GenerationResult>, emit);
  const failed: FailedAttempt[] = [];
  const wrote: { step: Step; units: number }[] = [];
  // Where the answer kept starts in `wrote`: an agent answer that broke off before its text is
  // asked again from the next provider, and the broken one was paid for but is not part of it.
  let keptFrom = 0;
  const agent = Boolean(request.tools?.length);
  let text = '';
  let lastError: ApiError | undefined;
  for (const step of plan) {
    const { provider } = step.mapping;
    // An agent answer that broke off after its text is not continued: a continuation prompt cannot
    // resume a function call the agent is waiting for, so the agent is told and may retry.
    if (agent && text) break;
    const item = text && provider !== 'local' ? continuation(request, text) : request;
    // An open circuit is skipped like a provider that failed before its first token.
    const circuit = enterStepCircuit(ctx.env, step as PlannedProvider<unknown, unknown, unknown>);
    if (circuit instanceof ApiError) {
      failed.push({ provider, code: circuit.code, message: circuit.message });
      lastError = circuit;
      continue;
    }
    const controller = new AbortController();
    let produced = false;
    const calls: ToolCall[] = [];
    let outcome: unknown;
    try {
      if (text && provider === 'local') {
        const tail = request.sources.length > 0 ? `\n\n${INTERRUPTED_NOTE}\n\n${quotedPassages(request.sources, request.question)}` : `\n\n${INTERRUPTED_NOTE}`;
        text += tail;
        await emit(tail);
      } else {
        const iterator = step.mapping.stream!({ env: ctx.env, task: 'chat', items: [item], options: {}, signal: controller.signal, model: step.model })[Symbol.asyncIterator]();
        const deadline = Date.now() + STREAM_TOTAL_TIMEOUTS * timeoutMs(ctx.env);
        for (;;) {
          const next = await nextWithin(iterator, provider, timeoutMs(ctx.env), deadline, () => controller.abort());
          if (next.done) break;
          if (typeof next.value !== 'string') {
            // Whole and checked (providers/tool-call-stream.ts); held until the answer ends, so its
            // arguments are moderated with the text before any call reaches the agent.
            calls.push(next.value.toolCall);
            produced = true;
            continue;
          }
          if (!next.value) continue;
          produced = true;
          text += next.value;
          await emit(next.value);
          // Nobody is reading any more: stop paying for tokens; what was written is the answer.
          if (clientGone?.aborted) {
            controller.abort();
            void iterator.return?.();
            break;
          }
        }
      }
      wrote.push({ step, units: generationUnits(item) });
      if (step === primary && failed.length === 0 && !clientGone?.aborted) {
        const value: CachedResult<GenerationResult> = { result: { text, ...(calls.length > 0 ? { tool_calls: calls } : {}) }, model: step.model, provider: provider, cached_at: new Date().toISOString() };
        ctx.waitUntil(writeCached(ctx.env.CACHE, [{ key, value }], chatGenerationTask.cacheTtlSeconds));
      }
      return finish(ctx, request, text, wrote, keptFrom, failed, calls);
    } catch (error) {
      outcome = error;
      if (!(error instanceof ApiError) || error.status < 502) throw error;
      controller.abort();
      if (error.code === INVALID_OUTPUT) {
        // Refused output is not billed. Once text has been streamed it cannot be taken back: the
        // stream ends with this error. Before that, nothing reached the client and the next
        // provider may try, as callWithFallback does for an unstreamed answer.
        if (text) {
          await meterWritten(ctx, wrote);
          throw error;
        }
        failed.push({ provider, code: error.code, message: error.message });
        lastError = error;
        continue;
      }
      // A provider that wrote part of the answer was still paid for it.
      if (produced) wrote.push({ step, units: generationUnits(item) });
      if (agent && !text) keptFrom = wrote.length;
      failed.push({ provider, code: error.code, message: error.message });
      lastError = error;
    } finally {
      circuit.settle(outcome);
    }
  }
  await meterWritten(ctx, wrote);
  const summary = failed.map((attempt) => `${attempt.provider}: ${attempt.message}`).join('; ');
  if (text) throw new ApiError(503, 'stream_interrupted', `The answer broke off and no provider could finish it — ${summary}`);
  throw new ApiError(lastError!.status, lastError!.code, failed.length > 1 ? `All providers failed — ${summary}` : lastError!.message);
}

/** What the model wrote, in estimated tokens: the text and the calls' names and arguments. */
const writtenTokens = (text: string, calls: ToolCall[] | undefined) => estimateTokens(text) + (calls ?? []).reduce((sum, call) => sum + estimateTokens(call.name + call.arguments), 0);

/**
 * One usage event per provider that wrote (part of) the answer: the first under the step's
 * request id, continuations as `<id>:1`, `<id>:2`… (the usage consumer deduplicates on the id).
 */
async function meterWritten(ctx: TaskContext, wrote: { step: Step; units: number }[]): Promise<Cost> {
  let cost: Cost = { cost_usd: 0, neurons: 0 };
  const metered = wrote.map(({ step, units }, position) => {
    const price = priceOf(step.mapping.provider, step.model, units);
    cost = { cost_usd: cost.cost_usd + price.cost_usd, neurons: cost.neurons + price.neurons };
    return meterStream(position === 0 ? ctx : { ...ctx, requestId: `${ctx.requestId}:${position}` }, { provider: step.mapping.provider, model: step.model }, units, price);
  });
  await Promise.all(metered);
  return cost;
}

/** A cached answer, streamed as one delta and metered as a cache hit (no cost). */
async function replay(ctx: TaskContext, request: GenerationRequest, cached: CachedResult<GenerationResult>, emit: (delta: string) => Promise<void>): Promise<GeneratedAnswer> {
  const { text, tool_calls: calls } = cached.result;
  if (text) await emit(text);
  const answeredBy = { provider: cached.provider as ProviderId, model: cached.model };
  await meterStream(ctx, answeredBy, generationUnits(request), { cost_usd: 0, neurons: 0 }, true);
  return {
    text,
    ...(calls?.length ? { toolCalls: calls } : {}),
    ...answeredBy,
    mode: answeredBy.provider === 'local' ? 'quoted' : 'generated',
    fallbackFrom: [],
    continuedBy: [],
    cost: { cost_usd: 0, neurons: 0 },
    promptTokens: promptTokens(request),
    completionTokens: writtenTokens(text, calls),
  };
}

async function finish(ctx: TaskContext, request: GenerationRequest, text: string, wrote: { step: Step; units: number }[], keptFrom: number, failed: FailedAttempt[], calls: ToolCall[]): Promise<GeneratedAnswer> {
  const cost = await meterWritten(ctx, wrote);
  const kept = wrote.slice(keptFrom);
  const first = kept[0]!.step;
  return {
    text,
    ...(calls.length > 0 ? { toolCalls: calls } : {}),
    provider: first.mapping.provider,
    model: first.model,
    mode: first.mapping.provider === 'local' ? 'quoted' : 'generated',
    fallbackFrom: failed.map(({ provider, code }) => ({ provider, code })),
    continuedBy: kept.slice(1).map(({ step }) => ({ provider: step.mapping.provider, model: step.model })),
    cost,
    promptTokens: promptTokens(request),
    completionTokens: writtenTokens(text, calls),
  };
}

/** DEFAULT_PROVIDER_ORDER as the router reads it (comma separated, unknown ids ignored). */
function deploymentOrder(env: Bindings): ProviderId[] {
  const configured = (env.DEFAULT_PROVIDER_ORDER ?? '').split(',').map((id) => id.trim()).filter(isProviderId);
  return configured.length > 0 ? configured : [...PROVIDER_IDS];
}

/**
 * The chat policy narrowed to the providers whose model has every feature an agent asked for
 * (function calling, JSON mode): a model without them would ignore the tools, and the local tier
 * has no model at all. A bot that enables a feature names a model that has it (chat/bots.ts).
 */
export function capablePolicy(env: Bindings, policy: TenantPolicy, features: AgentFeature[]): TenantPolicy {
  const configured = policy.tasks.chat ?? {};
  const modelOf = (id: ProviderId) => configured.models?.[id] ?? chatGenerationTask.providers.find((mapping) => mapping.provider === id)?.model;
  const providers = (configured.providers ?? deploymentOrder(env)).filter((id) => features.every((feature) => supportsFeature(modelOf(id) ?? '', feature)));
  return { ...policy, tasks: { ...policy.tasks, chat: { ...configured, providers } } };
}

/**
 * The chat policy for one turn: the bot's provider order (else the tenant's `chat` configuration,
 * else the deployment's), with the bot's model first on its own provider.
 */
export function chatPolicy(env: Bindings, policy: TenantPolicy, bot: { providers: ProviderId[] | null; model: string | null }, modelProvider?: ProviderId): TenantPolicy {
  const configured = policy.tasks.chat ?? {};
  let providers = bot.providers ?? configured.providers;
  const models = { ...configured.models };
  if (bot.model && modelProvider) {
    models[modelProvider] = bot.model;
    const order = providers ?? deploymentOrder(env);
    providers = [modelProvider, ...order.filter((id) => id !== modelProvider)];
  }
  return { ...policy, tasks: { ...policy.tasks, chat: { ...configured, ...(providers ? { providers } : {}), models } } };
}

import { ApiError } from '../contracts/errors';
import type { TaskContext } from '../pipeline/context';
import { CitationFilter, citationOf, filterCitations } from './citations';
import { finishTurn, validCitations, withFilteredCitations, type TurnResponse } from './finish';
import { generate, generateStreaming } from './generate';
import type { ChatResponse, Citation } from './schema';
import type { PreparedTurn } from './turn';

/** Non-streamed: generate (through runTask) unless a guardrail answered, then finish. */
export async function runTurn(ctx: TaskContext, turn: PreparedTurn): Promise<TurnResponse> {
  const answer = turn.request ? withFilteredCitations(await generate(turn.generationContext, turn.request), turn) : null;
  return finishTurn(ctx, turn, answer);
}

/** Where a streamed turn's events go: minnow's SSE events or OpenAI's chunks. */
export interface TurnSink {
  start(conversationId: string, sources: Citation[]): Promise<void>;
  delta(content: string): Promise<void>;
  handoff(handoff: NonNullable<ChatResponse['handoff']>): Promise<void>;
  done(response: TurnResponse): Promise<void>;
  error(error: ApiError): Promise<void>;
  /** Aborted when the client stopped reading: generation stops early. */
  clientGone?: AbortSignal;
}

/**
 * Streamed: `start` (with every source the prompt holds), the deltas as they come (invented
 * citation numbers filtered out on the fly), then the finished turn — `handoff` if a rule fired,
 * and `done` with the whole response, whose content is authoritative (output moderation may have
 * replaced what was streamed). A failure after `start` becomes an `error` event.
 */
export async function runStreamedTurn(ctx: TaskContext, turn: PreparedTurn, sink: TurnSink): Promise<void> {
  try {
    await sink.start(turn.conversationId, turn.sources.map(({ index, passage }) => citationOf(index, passage)));
    let answer = null;
    let streamed = '';
    const emit = async (text: string) => {
      streamed += text;
      await sink.delta(text);
    };
    if (turn.request) {
      const filter = new CitationFilter(validCitations(turn));
      answer = await generateStreaming(
        turn.generationContext,
        turn.request,
        async (delta) => {
          const out = filter.push(delta);
          if (out) await emit(out);
        },
        sink.clientGone,
      );
      const rest = filter.flush();
      if (rest) await emit(rest);
      answer = { ...answer, text: filterCitations(answer.text, validCitations(turn)) };
    }
    const response = await finishTurn(ctx, turn, answer);
    // The deltas add up to the final content: a guardrail's message or the handoff notice are
    // streamed too. Only when output moderation replaced the answer do they differ (done wins).
    const { content } = response.message;
    if (content.startsWith(streamed) && content.length > streamed.length) await emit(content.slice(streamed.length));
    if (response.handoff) await sink.handoff(response.handoff);
    await sink.done(response);
  } catch (error) {
    if (!(error instanceof ApiError)) {
      console.error(JSON.stringify({ level: 'error', request_id: ctx.requestId, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }));
    }
    await sink.error(error instanceof ApiError ? error : new ApiError(500, 'internal_error', 'Something went wrong on our side; quote the request id if you contact us'));
  }
}

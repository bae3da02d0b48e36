import { textClassification } from '@huggingface/inference';
import { z } from 'zod';
import { mapWithConcurrency } from '../../providers/concurrency';
import { callHuggingFace } from '../../providers/huggingface/transport';
import type { TaskProvider } from '../../providers/types';
import { malformedUpstreamResponse } from '../../providers/upstream-errors';
import { runWorkersAi } from '../../providers/workers-ai/transport';
import { capForLanguage, otherLanguageOf } from '../english-only';
import { type LocalReadShare, unitsRead } from '../local-window';
import { LEXICON_NEUTRAL_BAND, LOCAL_SENTIMENT_UNITS, localSentimentOf } from './local-sentiment';
import type { SentimentResult } from './schema';

export { LEXICON_NEUTRAL_BAND, LOCAL_SENTIMENT_UNITS };

/** Binary models (SST-2) answer neutral when neither side reaches this probability. */
export const BINARY_NEUTRAL_BELOW = 0.6;
const UPSTREAM_CONCURRENCY = 4;
const WORKERS_AI_MODEL = '@cf/huggingface/distilbert-sst-2-int8';
const HF_MODEL = 'distilbert/distilbert-base-uncased-finetuned-sst-2-english';

const labelScores = z.array(z.object({ label: z.string(), score: z.number() }));

const LABEL_ALIASES: Record<string, SentimentResult['label']> = {
  positive: 'positive', pos: 'positive', label_2: 'positive',
  negative: 'negative', neg: 'negative', label_0: 'negative',
  neutral: 'neutral', neu: 'neutral', label_1: 'neutral',
};

/** Folds any classifier's label list (SST-2, 3-class, LABEL_n) into minnow's three labels. */
export function fromLabelScores(scores: { label: string; score: number }[]): SentimentResult {
  const byLabel = new Map<SentimentResult['label'], number>();
  for (const { label, score } of scores) {
    const known = LABEL_ALIASES[label.toLowerCase()];
    if (known) byLabel.set(known, Math.max(byLabel.get(known) ?? 0, score));
  }
  const positive = byLabel.get('positive');
  const negative = byLabel.get('negative');
  if (positive === undefined && negative === undefined) throw new Error(`no sentiment labels in [${scores.map((s) => s.label).join(', ')}]`);
  if (!byLabel.has('neutral')) {
    // Binary model: one side may be missing (top-1 answers); its probability is the complement.
    const pos = positive ?? 1 - (negative ?? 0);
    const neg = negative ?? 1 - pos;
    const winner = Math.max(pos, neg);
    if (winner < BINARY_NEUTRAL_BELOW) return { label: 'neutral', score: round(1 - Math.abs(pos - neg)) };
    return { label: pos >= neg ? 'positive' : 'negative', score: round(winner) };
  }
  const [label, score] = [...byLabel.entries()].sort((a, b) => b[1] - a[1])[0]!;
  return { label, score: round(score) };
}

/**
 * Lexicon polarity (−1…1) → label and a confidence that grows with the polarity's size. The local
 * tier's score before issue 14 (kept for comparison in tests); it now answers with
 * localSentimentOf, whose score is a measured probability (local-sentiment.ts).
 */
export function fromPolarity(polarity: number): SentimentResult {
  const size = Math.min(1, Math.abs(polarity));
  if (size < LEXICON_NEUTRAL_BAND) return { label: 'neutral', score: round(1 - (size / LEXICON_NEUTRAL_BAND) * 0.5) };
  return { label: polarity > 0 ? 'positive' : 'negative', score: round(0.5 + size / 2) };
}

const round = (value: number) => Math.round(Math.min(1, Math.max(0, value)) * 10_000) / 10_000;

function parseScores(provider: 'workers-ai' | 'huggingface', raw: unknown): SentimentResult {
  const parsed = labelScores.safeParse(raw);
  if (!parsed.success) throw malformedUpstreamResponse(provider, 'expected [{label, score}]');
  try {
    return fromLabelScores(parsed.data);
  } catch (error) {
    throw malformedUpstreamResponse(provider, (error as Error).message);
  }
}

export const workersAiSentiment: TaskProvider<string, SentimentResult> = {
  provider: 'workers-ai',
  model: WORKERS_AI_MODEL,
  run(call) {
    return mapWithConcurrency(call.items, UPSTREAM_CONCURRENCY, async (text) => parseScores('workers-ai', await runWorkersAi(call, { text })));
  },
};

/** Endpoints answer flat `[{label, score}]` or nested `[[…]]`; the client accepts only nested. */
const nestClassification = (body: unknown) => (Array.isArray(body) && body.length > 0 && !Array.isArray(body[0]) ? [body] : body);

export const huggingFaceSentiment: TaskProvider<string, SentimentResult> = {
  provider: 'huggingface',
  model: HF_MODEL,
  run(call) {
    return mapWithConcurrency(call.items, UPSTREAM_CONCURRENCY, async (text) => {
      const scores = await callHuggingFace(
        call,
        (args, options) => textClassification({ ...args, inputs: text, parameters: { top_k: 3 } }, options),
        nestClassification,
      );
      return parseScores('huggingface', scores);
    });
  },
};

export const localSentiment: TaskProvider<string, SentimentResult, LocalReadShare> = {
  provider: 'local',
  model: 'minnow/wink-sentiment-en',
  async run({ items, options }) {
    const units = unitsRead(LOCAL_SENTIMENT_UNITS, options);
    // An English lexicon reads another language as neutral, confidently: its score is capped (english-only.ts).
    return Promise.all(
      items.map(async (text) => {
        const result = localSentimentOf(text, units);
        return { ...result, score: capForLanguage(result.score, await otherLanguageOf(text)) };
      }),
    );
  },
};

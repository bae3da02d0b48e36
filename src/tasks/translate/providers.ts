import { translation } from '@huggingface/inference';
import { z } from 'zod';
import { mapWithConcurrency } from '../../providers/concurrency';
import { callHuggingFace } from '../../providers/huggingface/transport';
import type { ProviderCall, TaskProvider } from '../../providers/types';
import type { ProviderId } from '../../contracts/provider-ids';
import { malformedUpstreamResponse } from '../../providers/upstream-errors';
import { runWorkersAi } from '../../providers/workers-ai/transport';
import type { TranslationLanguage } from './languages';
import { HF_TRANSLATION_MODEL_TEMPLATE, modelForPair, WORKERS_AI_TRANSLATION_MODEL } from './models';
import type { TranslateOptions, TranslateResult } from './schema';
import { sourceLanguages } from './source-language';

const UPSTREAM_CONCURRENCY = 4;

const m2m100Output = z.object({ translated_text: z.string() });
const translationText = z.object({ translation_text: z.string() });
/** The client hands back the object when the list has one entry, else the list. */
const hfOutput = z.union([translationText, z.array(translationText).min(1)]);

type TranslateOne = (call: ProviderCall<string, TranslateOptions>, text: string, source: TranslationLanguage) => Promise<string>;

/**
 * Resolves each text's source language, then translates the texts one call each. A text already
 * in the target language (detected so) is returned as it is, without an upstream call.
 */
function translateEach(provider: ProviderId, translateOne: TranslateOne) {
  return async (call: ProviderCall<string, TranslateOptions>): Promise<TranslateResult[]> => {
    const sources = await sourceLanguages(call);
    return mapWithConcurrency(call.items, UPSTREAM_CONCURRENCY, async (text, index) => {
      const source = sources[index]!;
      if (source === call.options.target) return { translation: text, source };
      const translated = (await translateOne(call, text, source)).trim();
      if (!translated) throw malformedUpstreamResponse(provider, 'the translation is empty');
      return { translation: translated, source };
    });
  };
}

export const workersAiTranslate: TaskProvider<string, TranslateResult, TranslateOptions> = {
  provider: 'workers-ai',
  model: WORKERS_AI_TRANSLATION_MODEL,
  run: translateEach('workers-ai', async (call, text, source) => {
    const raw = await runWorkersAi(call, { text, source_lang: source, target_lang: call.options.target });
    const parsed = m2m100Output.safeParse(raw);
    if (!parsed.success) throw malformedUpstreamResponse('workers-ai', 'expected {translated_text: string}');
    return parsed.data.translated_text;
  }),
};

/** A bare `{translation_text}` (some endpoints) becomes the list the client insists on. */
const listOfTranslations = (body: unknown) => (body && typeof body === 'object' && !Array.isArray(body) && 'translation_text' in body ? [body] : body);

export const huggingFaceTranslate: TaskProvider<string, TranslateResult, TranslateOptions> = {
  provider: 'huggingface',
  model: HF_TRANSLATION_MODEL_TEMPLATE,
  run: translateEach('huggingface', async (call, text, source) => {
    const { target } = call.options;
    const output = await callHuggingFace(
      { ...call, model: modelForPair(call.model, source, target) },
      (args, options) => translation({ ...args, inputs: text, parameters: { src_lang: source, tgt_lang: target } }, options),
      listOfTranslations,
    );
    const parsed = hfOutput.safeParse(output);
    if (!parsed.success) throw malformedUpstreamResponse('huggingface', 'expected [{translation_text}]');
    return (Array.isArray(parsed.data) ? parsed.data[0]! : parsed.data).translation_text;
  }),
};

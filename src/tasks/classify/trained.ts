import type { Bindings } from '../../contracts/env';
import { ApiError } from '../../contracts/errors';
import { carriesEvidence } from '../../lib/text-classifier/familiarity';
import { type LinearModel, predict } from '../../lib/text-classifier/model';
import { unitVector } from '../../lib/vectors';
import { type LocalEmbedder, localEmbedder } from '../../providers/local/semantic';
import { type CatalogModel, estimateTokens } from '../../providers/pricing';
import { deploymentOrder } from '../../providers/router';
import type { TaskProvider } from '../../providers/types';
import { answeringVersion, type ClassifierVersion, findClassifier, type LocalClassifierFeatures, readClassifierModel } from '../../storage/classifiers';
import { EMBED_POOLING_RULE, embedModel } from '../embed/models';
import { huggingFaceEmbed, workersAiEmbed } from '../embed/providers';
import { capRanked, ENGLISH_ONLY_SCORE_CAP, textsOf } from '../english-only';
import { namedList } from '../../lib/named-list';
import type { AnyTask, PublicTask, TaskWarning } from '../types';
import { classifyModels } from './models';
import { huggingFaceClassify, workersAiClassify } from './providers';
import type { ClassifyOptions, ClassifyResult } from './schema';
import { rankLabels } from './scoring';

/**
 * The cascade threshold of a trained classifier when the tenant has set none for classify (a
 * tenant's own classify threshold wins). Chosen on the dev protocol only (eval/classifiers/dev.mjs,
 * the training pool): at 25 examples per label the share of kept answers that are wrong falls from
 * 7.3% at 0.8 to 5.1% at 0.9 and stays flat above (the taxonomy's border tickets, which no
 * threshold separates) while the share kept keeps halving; no threshold short of 0.99 (keeping 4%)
 * reached 3% on dev. On the test split, 1.7–2.7% of the answers kept at 0.9 are wrong (3.2–3.7%
 * at 0.8), keeping 45–50% local (60–65% at 0.8); docs/classifiers.md. The rest escalate to the
 * neural zero-shot model.
 */
export const TRAINED_CASCADE_THRESHOLD = 0.9;

/** The catalog id of one trained version, as envelopes and usage events name it. */
export const trainedModelId = (classifierId: string, version: number) => `${classifierId}@v${version}`;

/**
 * The sentence embedder a version's features name, the same for training and answering: new
 * versions read the 100,000-word vectors; versions trained on the shared 30,000-word ones keep
 * answering with those (their weights were fitted to them); lexical versions read none.
 */
export async function classifierEmbedder(env: Bindings, features: LocalClassifierFeatures): Promise<LocalEmbedder | undefined> {
  if (features === 'lexical') return undefined;
  return localEmbedder(env, features === 'lexical+word-vectors-100k' ? 'word-vectors-100k.bin' : 'word-vectors.bin');
}

/** Texts' sentence vectors the isolate embedded last, per embedder: the bound on entries kept. */
const RECENT_VECTORS = 256;
const recentVectors = new WeakMap<LocalEmbedder, Map<string, Float32Array>>();

/**
 * The texts' sentence vectors, each embedded once for both scoring and the familiarity warning
 * (which runs after scoring on a miss, and alone on a cache hit): a vector depends on the text
 * and the artifact only (the common component is the artifact's), so a recent one is reused.
 * Bounded: cleared when the texts would not fit (a larger batch is kept whole until the next call).
 */
function vectorsOf(embedder: LocalEmbedder, texts: string[]): Float32Array[] {
  let recent = recentVectors.get(embedder);
  if (!recent) recentVectors.set(embedder, (recent = new Map()));
  const missing = [...new Set(texts.filter((text) => !recent!.has(text)))];
  if (missing.length > 0) {
    if (recent.size + missing.length > RECENT_VECTORS) recent.clear();
    const vectors = embedder.embed(missing);
    missing.forEach((text, index) => recent!.set(text, vectors[index]!));
  }
  return texts.map((text) => recent!.get(text)!);
}

/** A trained version on the local tier: its own linear model, in the Worker, free. */
function trainedProvider(modelId: string, model: LinearModel, features: LocalClassifierFeatures): TaskProvider<string, ClassifyResult, ClassifyOptions> {
  return {
    provider: 'local',
    model: modelId,
    async run({ env, items }) {
      if (items.length === 0) return [];
      const embedder = model.denseDims > 0 ? await classifierEmbedder(env, features) : undefined;
      const dense = embedder ? vectorsOf(embedder, items) : [];
      return items.map((text, index) => scoredLocally(model, text, dense[index]));
    },
  };
}

/** The embed mappings a neural-features version can embed with: the provider that serves its embedding model. */
const neuralEmbedders = [workersAiEmbed, huggingFaceEmbed];

const scored = (model: LinearModel, text: string, dense?: Float32Array): ClassifyResult => {
  const probabilities = predict(model, text, dense);
  return { labels: rankLabels(model.labels.map((label, l) => ({ label, score: probabilities[l]! }))) };
};

/**
 * On local features, a text of which the examples hold no word is scored on character grams and
 * biases alone, and one that shares only their common words ("the", "is") on little more:
 * whatever the model says has no evidence behind it (carriesEvidence). (A neural-features version
 * reads the embedding model's vectors, which know words its examples never used.)
 */
const scoredLocally = (model: LinearModel, text: string, dense?: Float32Array): ClassifyResult => {
  const { labels } = scored(model, text, dense);
  return { labels: carriesEvidence(model, text, dense) ? labels : capRanked(labels, UNFAMILIAR_TEXT_SCORE_CAP) };
};

/**
 * The most a trained classifier's top score may be for a text too little of which is words its
 * examples hold: the local tier's cap for text it cannot read (tasks/english-only.ts), below any cascade
 * threshold, so a cascade sends the text on to the zero-shot model.
 */
export const UNFAMILIAR_TEXT_SCORE_CAP = ENGLISH_ONLY_SCORE_CAP;
export const CLASSIFIER_UNFAMILIAR_TEXT = 'classifier_unfamiliar_text';

/**
 * Which of `texts` the model has too little evidence on (carriesEvidence), with the dense vectors
 * the local step scored them with: asked of cache hits too, so the warning is the answer's.
 */
async function unfamiliarTexts(env: Bindings, model: LinearModel, features: LocalClassifierFeatures, texts: string[]): Promise<string[]> {
  const embedder = model.centroids && model.denseDims > 0 ? await classifierEmbedder(env, features) : undefined;
  const dense = embedder ? vectorsOf(embedder, texts) : [];
  return textsOf(texts)
    .filter(({ text }, index) => !carriesEvidence(model, text, dense[index]))
    .map(({ field }) => field);
}

/** One `classifier_unfamiliar_text` warning naming each text the model has too little evidence on, or none. */
async function unfamiliarTextWarnings(env: Bindings, model: LinearModel, features: LocalClassifierFeatures, texts: string[]): Promise<TaskWarning[]> {
  const unfamiliar = await unfamiliarTexts(env, model, features, texts);
  if (unfamiliar.length === 0) return [];
  const named = namedList(unfamiliar);
  return [
    {
      code: CLASSIFIER_UNFAMILIAR_TEXT,
      message:
        `${named} ${unfamiliar.length === 1 ? 'is' : 'are'} unlike this classifier's training examples: no word of ${unfamiliar.length === 1 ? 'it' : 'them'} appears in them (another language than theirs, gibberish), ` +
        `or ${unfamiliar.length === 1 ? 'it shares' : 'they share'} only common words with them and not their topic. ` +
        `${unfamiliar.length === 1 ? 'Its' : 'Their'} scores are scaled down to at most ${UNFAMILIAR_TEXT_SCORE_CAP}, so a cascade sends ${unfamiliar.length === 1 ? 'it' : 'them'} on. ` +
        'Train a version with examples like it to have it answered here.',
    },
  ];
}

/**
 * A neural-features version (`features: "neural"`): each text is embedded by the embedding model
 * it was trained on — the same provider mapping the embed task runs, so the same upstream call —
 * then scored by its linear model. It is a step on that provider, not the local tier: the
 * pipeline meters it at that model's price (catalogEntry), and no other model's vectors can stand
 * in for it, so there is no fallback.
 */
function neuralTrainedProvider(modelId: string, model: LinearModel, embeddingModel: CatalogModel): TaskProvider<string, ClassifyResult, ClassifyOptions> {
  const embedder = neuralEmbedders.find((mapping) => mapping.provider === embeddingModel.provider)!;
  return {
    provider: embeddingModel.provider,
    model: modelId,
    async run(call) {
      if (call.items.length === 0) return [];
      const vectors = await embedder.run({ ...call, task: 'embed', model: embeddingModel.id, options: { pooling: EMBED_POOLING_RULE }, endpoint: undefined });
      return call.items.map((text, index) => scored(model, text, unitVector(vectors[index]!.embedding)));
    },
  };
}

function catalogEntry(modelId: string, version: ClassifierVersion, embeddingModel?: CatalogModel): CatalogModel {
  const described = `Your trained classifier (${version.labels.length} labels, ${version.examples} examples, ${version.features} features`;
  if (embeddingModel) {
    // Priced as the embedding call it makes: the linear model on top of it is free.
    return { id: modelId, task: 'classify', provider: embeddingModel.provider, description: `${described} on ${embeddingModel.id})`, price: embeddingModel.price };
  }
  return { id: modelId, task: 'classify', provider: 'local', description: `${described}), inside the Worker`, price: { unit: 'input_token', usd_per_million: 0, source: 'free' } };
}

/**
 * The classify task as one trained classifier answers it: its newest ready version on the local
 * tier first; a confidence below the tenant's classify cascade threshold (else
 * TRAINED_CASCADE_THRESHOLD) escalates to the neural zero-shot providers with the same labels.
 * 404 for an id the tenant does not own; 409 while no version is ready.
 */
export async function trainedClassifierTask(classifyTask: PublicTask, env: Bindings, tenantId: string, classifierId: string): Promise<AnyTask> {
  const classifier = await findClassifier(env.DB, tenantId, classifierId);
  if (!classifier) throw new ApiError(404, 'classifier_not_found', `No classifier ${classifierId}`, { param: 'classifier' });
  const version = answeringVersion(classifier);
  if (!version) {
    const newest = classifier.versions[0]!;
    const why = newest.status === 'failed' ? `its training failed (${newest.error ?? 'unknown error'}); train it again` : 'try again when its status is ready (GET /v1/classifiers/{id})';
    throw new ApiError(409, newest.status === 'failed' ? 'classifier_failed' : 'classifier_training', `Classifier ${classifierId} has no ready version: version ${newest.version} is ${newest.status}; ${why}`, { param: 'classifier' });
  }
  const model = await readClassifierModel(env.CACHE, tenantId, classifierId, version.version);
  if (!model) throw new ApiError(503, 'classifier_unavailable', `The weights of ${classifierId} version ${version.version} could not be read; retry shortly`);
  const modelId = trainedModelId(classifierId, version.version);
  const labels = [...version.labels].sort();
  if (version.features === 'lexical+neural') return neuralClassifierTask(classifyTask, modelId, labels, model, version);
  const features = version.features;
  return {
    ...classifyTask,
    options: (): ClassifyOptions => ({ labels, multi_label: false, classifier: modelId }),
    providers: [trainedProvider(modelId, model, features), workersAiClassify, huggingFaceClassify],
    models: [...classifyModels, catalogEntry(modelId, version)],
    warnings: (_options, provider, _results, texts, warningEnv) => (provider === 'local' ? unfamiliarTextWarnings(warningEnv, model, features, texts) : []),
    resolve: undefined,
    names: undefined,
    planPolicy: (planEnv, policy) => {
      const config = policy.tasks.classify ?? {};
      const escalation = (config.providers ?? deploymentOrder(planEnv)).filter((provider) => provider !== 'local');
      const threshold = config.cascade?.threshold ?? TRAINED_CASCADE_THRESHOLD;
      // The local step is this classifier, whatever local model the tenant picked for zero-shot classify.
      const { local: _zeroShotLocal, ...models } = config.models ?? {};
      return { ...policy, tasks: { ...policy.tasks, classify: { ...config, models, providers: ['local', ...escalation], cascade: { threshold } } } };
    },
  };
}

/**
 * A neural-features version answers on its embedding model's provider alone: that provider is the
 * plan (the tenant's classify providers, models and endpoint do not apply: its weights fit that
 * model's vectors only), metered per text like an embed call of the same text (units: the text's
 * tokens, not its labels), and it does not escalate — the zero-shot models it would escalate to
 * read only the label names, not the tenant's examples.
 */
function neuralClassifierTask(classifyTask: PublicTask, modelId: string, labels: string[], model: LinearModel, version: ClassifierVersion): AnyTask {
  const embeddingModel = model.denseModel ? embedModel(model.denseModel) : undefined;
  if (!embeddingModel || !neuralEmbedders.some((mapping) => mapping.provider === embeddingModel.provider)) {
    throw new ApiError(503, 'classifier_unavailable', `${modelId} was trained on the embedding model ${model.denseModel ?? '(none recorded)'}, which this deployment no longer serves; train a new version`);
  }
  return {
    ...classifyTask,
    options: (): ClassifyOptions => ({ labels, multi_label: false, classifier: modelId }),
    units: (text: string) => estimateTokens(text),
    providers: [neuralTrainedProvider(modelId, model, embeddingModel)],
    models: [...classifyModels, catalogEntry(modelId, version, embeddingModel)],
    resolve: undefined,
    names: undefined,
    // Its embedding model's provider alone, whatever the tenant's classify plan: admission prices it there.
    servedBy: () => [embeddingModel.provider],
    planPolicy: (_planEnv, policy) => {
      const { cascade: _cascade, models: _models, huggingface_endpoint: _endpoint, ...config } = policy.tasks.classify ?? {};
      return { ...policy, tasks: { ...policy.tasks, classify: { ...config, providers: [embeddingModel.provider] } } };
    },
  };
}

import type { Bindings } from '../../contracts/env';
import { ApiError } from '../../contracts/errors';
import { type LinearModel, predict } from '../../lib/text-classifier/model';
import { type LocalEmbedder, localEmbedder } from '../../providers/local/semantic';
import type { CatalogModel } from '../../providers/pricing';
import { deploymentOrder } from '../../providers/router';
import type { TaskProvider } from '../../providers/types';
import { answeringVersion, type ClassifierFeatures, type ClassifierVersion, findClassifier, readClassifierModel } from '../../storage/classifiers';
import type { AnyTask, PublicTask } from '../types';
import { classifyModels } from './models';
import { huggingFaceClassify, workersAiClassify } from './providers';
import type { ClassifyOptions, ClassifyResult } from './schema';
import { rankLabels } from './scoring';

/**
 * The cascade threshold of a trained classifier when the tenant has set none for classify. Its
 * scores are calibrated probabilities (cross-validated), so a kept answer is wrong at most about
 * 1 time in 5 by construction; measured on the support-ticket test set, 2–5% of the answers kept
 * at 0.8 are wrong (docs/classifiers.md). The rest escalate to the neural zero-shot model.
 */
export const TRAINED_CASCADE_THRESHOLD = 0.8;

/** The catalog id of one trained version, as envelopes and usage events name it. */
export const trainedModelId = (classifierId: string, version: number) => `${classifierId}@v${version}`;

/**
 * The sentence embedder a version's features name, the same for training and answering: new
 * versions read the 100,000-word vectors; versions trained on the shared 30,000-word ones keep
 * answering with those (their weights were fitted to them); lexical versions read none.
 */
export async function classifierEmbedder(env: Bindings, features: ClassifierFeatures): Promise<LocalEmbedder | undefined> {
  if (features === 'lexical') return undefined;
  return localEmbedder(env, features === 'lexical+word-vectors-100k' ? 'word-vectors-100k.bin' : 'word-vectors.bin');
}

/** A trained version on the local tier: its own linear model, in the Worker, free. */
function trainedProvider(modelId: string, model: LinearModel, features: ClassifierFeatures): TaskProvider<string, ClassifyResult, ClassifyOptions> {
  return {
    provider: 'local',
    model: modelId,
    async run({ env, items }) {
      if (items.length === 0) return [];
      const embedder = model.denseDims > 0 ? await classifierEmbedder(env, features) : undefined;
      const dense = embedder ? embedder.embed(items) : [];
      return items.map((text, index) => {
        const probabilities = predict(model, text, dense[index]);
        return { labels: rankLabels(model.labels.map((label, l) => ({ label, score: probabilities[l]! }))) };
      });
    },
  };
}

function catalogEntry(modelId: string, version: ClassifierVersion): CatalogModel {
  return {
    id: modelId,
    task: 'classify',
    provider: 'local',
    description: `Your trained classifier (${version.labels.length} labels, ${version.examples} examples, ${version.features} features), inside the Worker`,
    price: { unit: 'input_token', usd_per_million: 0, source: 'free' },
  };
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
  return {
    ...classifyTask,
    options: (): ClassifyOptions => ({ labels, multi_label: false, classifier: modelId }),
    providers: [trainedProvider(modelId, model, version.features), workersAiClassify, huggingFaceClassify],
    models: [...classifyModels, catalogEntry(modelId, version)],
    resolve: undefined,
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

import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import type { Context } from 'hono';
import { admitAccountRequest, admitManagement, authenticate } from '../admission/admit';
import type { TaskContext } from '../pipeline/context';
import { withHeldReservation } from '../pipeline/step-context';
import { MANAGING } from '../admission/browser-keys';
import { apiKeyFormat } from '../http/api-key-format';
import { errorResponse as error, jsonResponse as json } from '../http/error-responses';
import { jsonBody } from '../http/json-body';
import { newId } from '../security/crypto';
import {
  answeringVersion,
  type Classifier,
  type ClassifierVersion,
  countClassifiers,
  deleteClassifier,
  findClassifier,
  insertClassifier,
  insertNextVersion,
  listClassifiers,
  MAX_CLASSIFIERS_PER_TENANT,
} from '../storage/classifiers';
import { requestExamples } from './examples-source';
import { embedForTraining, neuralEmbeddingModel, neuralTrainingEstimate, type TrainingUsage } from './neural-features';
import { classifierParams, classifierSchema, createClassifierSchema, INLINE_MAX_EXAMPLES, retrainClassifierSchema } from './schema';
import { featuresFor, type NeuralVectors, queueTraining, trainNow, validateExamples } from './training';

const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });

const managementErrors = {
  400: error('Invalid examples; `param` names the field (a text under two labels names both, a label with too few examples is listed)'),
  401: error('Missing, unknown or revoked API key'),
  403: error('Not a secret key with every scope: publishable keys may classify with a classifier, not manage one'),
  404: error('No such classifier (another tenant’s ids look the same as none)'),
  429: error('Rate limit exceeded; see `Retry-After`'),
};
/** Reading a classifier (its labels, versions, metrics) needs the classify scope, which uses it. */
const readErrors = { ...managementErrors, 403: error('A publishable key, or a key without the classify scope') };

const presentVersion = (version: ClassifierVersion) => ({
  version: version.version,
  status: version.status,
  labels: version.labels,
  examples: version.examples,
  features: version.features,
  metrics: version.metrics,
  error: version.error,
  created_at: version.createdAt,
  trained_at: version.trainedAt,
});

export function presentClassifier(classifier: Classifier) {
  const newest = classifier.versions[0]!;
  return {
    id: classifier.id,
    object: 'classifier' as const,
    name: classifier.name,
    labels: newest.labels,
    version: newest.version,
    status: newest.status,
    metrics: newest.metrics,
    answering_version: answeringVersion(classifier)?.version ?? null,
    versions: classifier.versions.map(presentVersion),
    created_at: classifier.createdAt,
    updated_at: classifier.updatedAt,
  };
}

const route = <R extends Parameters<typeof createRoute>[0]>(spec: R) => createRoute({ tags: ['classifiers'], security: [{ apiKey: [] }], ...spec });

const trainingDescription =
  `Up to ${INLINE_MAX_EXAMPLES} examples are trained inside the request (201, status ready, with cross-validated metrics); larger sets are queued ` +
  '(202, status training — poll GET /v1/classifiers/{id}). Training is free: lexical n-grams and the local word vectors, a logistic regression, ' +
  'probabilities calibrated on k-fold cross-validation (docs/classifiers.md). With `features: "neural"` the examples are embedded by the tenant\'s ' +
  'neural embedding model instead (billed like any embed call; `training_usage` says what it cost), in the request only.';

/** /v1/classifiers: the tenant's own trained classifiers (POST /v1/classify with `classifier` uses them). */
export function registerClassifierRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/classifiers',
      summary: 'Train a classifier on your labelled examples',
      description: trainingDescription,
      middleware: [apiKeyFormat({ secretOnly: MANAGING }), jsonBody()] as const,
      request: body(createClassifierSchema),
      responses: { 201: json('Trained and ready', classifierSchema), 202: json('Queued for training', classifierSchema), ...managementErrors, 409: error('The tenant already has the most classifiers allowed') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const labels = validateExamples(input.examples);
      const neural = input.features === 'neural';
      if (neural) refuseQueuedNeural(input.examples.length);
      const ctx = await admitManagement(c, neural ? neuralTrainingEstimate(c.env, input.examples.map((example) => example.text)) : undefined);
      return withHeldReservation(ctx, async (steps) => {
        const tenantId = steps.policy.tenantId;
        if ((await countClassifiers(c.env.DB, tenantId)) >= MAX_CLASSIFIERS_PER_TENANT) {
          throw new ApiError(409, 'classifier_limit_reached', `A tenant may keep at most ${MAX_CLASSIFIERS_PER_TENANT} classifiers; delete one first`);
        }
        // Neural examples are embedded before anything is stored: a failed embedding call leaves no classifier behind.
        const embedded = neural ? await embedExamples(steps, input.examples) : undefined;
        const now = new Date().toISOString();
        const id = newId('clf');
        const features = embedded ? 'lexical+neural' : await featuresFor(c.env);
        await insertClassifier(c.env.DB, { id, tenantId, name: input.name, createdAt: now, updatedAt: now }, { version: 1, status: 'training', labels, examples: input.examples.length, features, metrics: null, error: null, createdAt: now, trainedAt: null });
        const queued = await trainOrQueue(c.env, { tenantId, classifierId: id, version: 1, features }, input.examples, embedded?.neural);
        return c.json(withUsage(presentClassifier((await findClassifier(c.env.DB, tenantId, id))!), embedded?.usage), queued ? 202 : 201);
      });
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/classifiers/{id}/versions',
      summary: 'Retrain a classifier: a new version',
      description: `${trainingDescription} The previous ready version keeps answering until the new one is ready; a failed training leaves it answering.`,
      middleware: [apiKeyFormat({ secretOnly: MANAGING }), jsonBody()] as const,
      request: { params: classifierParams, ...body(retrainClassifierSchema) },
      responses: { 201: json('Trained: the new version answers', classifierSchema), 202: json('Queued: the previous version answers until it is ready', classifierSchema), ...managementErrors },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const { id } = c.req.valid('param');
      const labels = validateExamples(input.examples);
      // Without `features` the new version is of the newest one's kind: read it first, so admission reserves for embedding only when it will happen.
      const neural = input.features === 'neural' || (input.features === undefined && (await newestFeatures(c, id)) === 'lexical+neural');
      if (neural) refuseQueuedNeural(input.examples.length);
      const ctx = await admitManagement(c, neural ? neuralTrainingEstimate(c.env, input.examples.map((example) => example.text)) : undefined);
      return withHeldReservation(ctx, async (steps) => {
        const tenantId = steps.policy.tenantId;
        if (!(await findClassifier(c.env.DB, tenantId, id))) throw new ApiError(404, 'classifier_not_found', `No classifier ${id}`, { param: 'id' });
        const embedded = neural ? await embedExamples(steps, input.examples) : undefined;
        const features = embedded ? 'lexical+neural' : await featuresFor(c.env);
        const version = await insertNextVersion(c.env.DB, tenantId, id, { status: 'training', labels, examples: input.examples.length, features, metrics: null, error: null, createdAt: new Date().toISOString(), trainedAt: null }, input.name);
        const queued = await trainOrQueue(c.env, { tenantId, classifierId: id, version, features }, input.examples, embedded?.neural);
        return c.json(withUsage(presentClassifier((await findClassifier(c.env.DB, tenantId, id))!), embedded?.usage), queued ? 202 : 201);
      });
    },
  );

  app.openapi(
    route({ method: 'get', path: '/v1/classifiers', summary: 'List your classifiers', middleware: [apiKeyFormat()] as const, responses: { 200: json('Your classifiers, oldest first', z.object({ object: z.literal('list'), data: z.array(classifierSchema) })), ...readErrors } }),
    async (c) => {
      const { key } = await admitAccountRequest(c, 'classify');
      return c.json({ object: 'list' as const, data: (await listClassifiers(c.env.DB, key.tenantId)).map(presentClassifier) }, 200);
    },
  );

  app.openapi(
    route({ method: 'get', path: '/v1/classifiers/{id}', summary: 'A classifier: its versions, their status and metrics', middleware: [apiKeyFormat()] as const, request: { params: classifierParams }, responses: { 200: json('The classifier', classifierSchema), ...readErrors } }),
    async (c) => {
      const { key } = await admitAccountRequest(c, 'classify');
      const { id } = c.req.valid('param');
      const classifier = await findClassifier(c.env.DB, key.tenantId, id);
      if (!classifier) throw new ApiError(404, 'classifier_not_found', `No classifier ${id}`, { param: 'id' });
      return c.json(presentClassifier(classifier), 200);
    },
  );

  app.openapi(
    route({ method: 'delete', path: '/v1/classifiers/{id}', summary: 'Delete a classifier with all its versions', middleware: [apiKeyFormat()] as const, request: { params: classifierParams }, responses: { 200: json('Deleted', z.object({ id: z.string(), object: z.literal('classifier'), deleted: z.literal(true) })), ...managementErrors } }),
    async (c) => {
      const ctx = await admitManagement(c);
      const { id } = c.req.valid('param');
      if (!(await deleteClassifier(c.env, ctx.policy.tenantId, id))) throw new ApiError(404, 'classifier_not_found', `No classifier ${id}`, { param: 'id' });
      return c.json({ id, object: 'classifier' as const, deleted: true as const }, 200);
    },
  );
}

/** Small sets train now; large ones are queued (never neural ones: refuseQueuedNeural). Returns whether it was queued. */
async function trainOrQueue(
  env: AppEnv['Bindings'],
  target: { tenantId: string; classifierId: string; version: number; features: ClassifierVersion['features'] },
  examples: { text: string; label: string }[],
  neural?: NeuralVectors,
): Promise<boolean> {
  if (examples.length > INLINE_MAX_EXAMPLES && target.features !== 'lexical+neural') {
    await queueTraining(env, { ...target, features: target.features }, examples);
    return true;
  }
  await trainNow(env, target, requestExamples(examples), target.features, neural);
  return false;
}

/** Neural training embeds in the request and is not queued (neural-features.ts): larger sets are refused, naming the field. */
function refuseQueuedNeural(count: number): void {
  if (count > INLINE_MAX_EXAMPLES) {
    throw new ApiError(400, 'invalid_field', `features: "neural" trains in the request, on at most ${INLINE_MAX_EXAMPLES} examples (got ${count}); train larger sets with features: "local"`, { param: 'features' });
  }
}

/** The examples embedded by the tenant's neural embedding model (400 naming `features` when it has none). */
async function embedExamples(ctx: TaskContext, examples: { text: string }[]): Promise<{ neural: NeuralVectors; usage: TrainingUsage }> {
  const model = neuralEmbeddingModel(ctx.env, ctx.policy);
  const { vectors, usage } = await embedForTraining(ctx, examples.map((example) => example.text), model);
  return { neural: { model, vectors }, usage };
}

/** The features of the key's tenant's classifier's newest version, before admission (undefined: no such classifier; admission then answers 401/403, or the handler 404). */
async function newestFeatures(c: Context<AppEnv>, id: string): Promise<ClassifierVersion['features'] | undefined> {
  const key = await authenticate(c);
  return (await findClassifier(c.env.DB, key.tenantId, id))?.versions[0]?.features;
}

const withUsage = <T extends object>(presented: T, usage?: TrainingUsage) => (usage ? { ...presented, training_usage: usage } : presented);

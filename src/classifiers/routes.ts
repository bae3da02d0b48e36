import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { admitAccountRequest, admitManagement } from '../admission/admit';
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
import { classifierParams, classifierSchema, createClassifierSchema, retrainClassifierSchema } from './schema';
import { featuresFor, INLINE_MAX_EXAMPLES, queueTraining, trainNow, validateExamples } from './training';

const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });

const managementErrors = {
  400: error('Invalid examples; `param` names the field (a text under two labels names both, a label with too few examples is listed)'),
  401: error('Missing, unknown or revoked API key'),
  403: error('Not a secret key with every scope: publishable keys may classify with a classifier, not manage one'),
  404: error('No such classifier (another tenant’s ids look the same as none)'),
  429: error('Rate limit exceeded; see `Retry-After`'),
};

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
  'probabilities calibrated on k-fold cross-validation (docs/classifiers.md).';

/** /v1/classifiers: the tenant's own trained classifiers (POST /v1/classify with `classifier` uses them). */
export function registerClassifierRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/classifiers',
      summary: 'Train a classifier on your labelled examples',
      description: trainingDescription,
      middleware: [apiKeyFormat(), jsonBody()] as const,
      request: body(createClassifierSchema),
      responses: { 201: json('Trained and ready', classifierSchema), 202: json('Queued for training', classifierSchema), ...managementErrors, 409: error('The tenant already has the most classifiers allowed') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const labels = validateExamples(input.examples);
      const ctx = await admitManagement(c);
      const tenantId = ctx.policy.tenantId;
      if ((await countClassifiers(c.env.DB, tenantId)) >= MAX_CLASSIFIERS_PER_TENANT) {
        throw new ApiError(409, 'classifier_limit_reached', `A tenant may keep at most ${MAX_CLASSIFIERS_PER_TENANT} classifiers; delete one first`);
      }
      const now = new Date().toISOString();
      const id = newId('clf');
      const features = await featuresFor(c.env);
      await insertClassifier(c.env.DB, { id, tenantId, name: input.name, createdAt: now, updatedAt: now }, { version: 1, status: 'training', labels, examples: input.examples.length, features, metrics: null, error: null, createdAt: now, trainedAt: null });
      const queued = await trainOrQueue(c.env, { tenantId, classifierId: id, version: 1, features }, input.examples);
      return c.json(presentClassifier((await findClassifier(c.env.DB, tenantId, id))!), queued ? 202 : 201);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/classifiers/{id}/versions',
      summary: 'Retrain a classifier: a new version',
      description: `${trainingDescription} The previous ready version keeps answering until the new one is ready; a failed training leaves it answering.`,
      middleware: [apiKeyFormat(), jsonBody()] as const,
      request: { params: classifierParams, ...body(retrainClassifierSchema) },
      responses: { 201: json('Trained: the new version answers', classifierSchema), 202: json('Queued: the previous version answers until it is ready', classifierSchema), ...managementErrors },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const { id } = c.req.valid('param');
      const labels = validateExamples(input.examples);
      const ctx = await admitManagement(c);
      const tenantId = ctx.policy.tenantId;
      if (!(await findClassifier(c.env.DB, tenantId, id))) throw new ApiError(404, 'classifier_not_found', `No classifier ${id}`, { param: 'id' });
      const features = await featuresFor(c.env);
      const version = await insertNextVersion(c.env.DB, tenantId, id, { status: 'training', labels, examples: input.examples.length, features, metrics: null, error: null, createdAt: new Date().toISOString(), trainedAt: null }, input.name);
      const queued = await trainOrQueue(c.env, { tenantId, classifierId: id, version, features }, input.examples);
      return c.json(presentClassifier((await findClassifier(c.env.DB, tenantId, id))!), queued ? 202 : 201);
    },
  );

  app.openapi(
    route({ method: 'get', path: '/v1/classifiers', summary: 'List your classifiers', middleware: [apiKeyFormat()] as const, responses: { 200: json('Your classifiers, oldest first', z.object({ object: z.literal('list'), data: z.array(classifierSchema) })), ...managementErrors } }),
    async (c) => {
      const { key } = await admitAccountRequest(c);
      return c.json({ object: 'list' as const, data: (await listClassifiers(c.env.DB, key.tenantId)).map(presentClassifier) }, 200);
    },
  );

  app.openapi(
    route({ method: 'get', path: '/v1/classifiers/{id}', summary: 'A classifier: its versions, their status and metrics', middleware: [apiKeyFormat()] as const, request: { params: classifierParams }, responses: { 200: json('The classifier', classifierSchema), ...managementErrors } }),
    async (c) => {
      const { key } = await admitAccountRequest(c);
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

/** Small sets train now; large ones are queued. Returns whether it was queued. */
async function trainOrQueue(env: AppEnv['Bindings'], target: { tenantId: string; classifierId: string; version: number; features: ClassifierVersion['features'] }, examples: { text: string; label: string }[]): Promise<boolean> {
  if (examples.length > INLINE_MAX_EXAMPLES) {
    await queueTraining(env, target, examples);
    return true;
  }
  await trainNow(env, target, requestExamples(examples), target.features);
  return false;
}

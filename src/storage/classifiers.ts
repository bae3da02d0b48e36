import type { ClassifierTrainMessage } from '../contracts/queue-messages';
import { deserializeModel, type LinearModel, serializeModel, type StoredLinearModel } from '../lib/text-classifier/model';
import type { Example, TrainingMetrics } from '../lib/text-classifier/train';
import { kvKeys } from './kv-keys';
import { MemoryCache } from './memory-cache';

/**
 * Tenant-trained classifiers (migration 0009): a classifier and its versions in D1, each ready
 * version's weights in KV (`clf-model:<tenant>:<id>:<version>`, written once, never changed), and
 * a queued training set in KV until its version is trained. Every read filters on the tenant:
 * another tenant's classifier is the same as none.
 */

export type ClassifierVersionStatus = 'training' | 'ready' | 'failed';
/** Local features a version trains on (named in the queue message too): the n-grams, with or without the local word vectors. */
export type LocalClassifierFeatures = ClassifierTrainMessage['features'];
/**
 * What a version trains on: local features, or the n-grams with the tenant's neural embedding
 * model's vectors (`lexical+neural`, trained in the request only; the model is named in its stored weights).
 */
export type ClassifierFeatures = LocalClassifierFeatures | 'lexical+neural';

export interface ClassifierVersion {
  version: number;
  status: ClassifierVersionStatus;
  labels: string[];
  examples: number;
  features: ClassifierFeatures;
  metrics: TrainingMetrics | null;
  error: string | null;
  createdAt: string;
  trainedAt: string | null;
}

export interface Classifier {
  id: string;
  tenantId: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  /** Newest first. */
  versions: ClassifierVersion[];
}

interface ClassifierRow {
  id: string;
  tenant_id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

interface VersionRow {
  classifier_id: string;
  version: number;
  status: ClassifierVersionStatus;
  labels: string;
  examples: number;
  features: ClassifierFeatures;
  metrics: string | null;
  error: string | null;
  created_at: string;
  trained_at: string | null;
}

const versionFromRow = (row: VersionRow): ClassifierVersion => ({
  version: row.version,
  status: row.status,
  labels: JSON.parse(row.labels) as string[],
  examples: row.examples,
  features: row.features,
  metrics: row.metrics ? (JSON.parse(row.metrics) as TrainingMetrics) : null,
  error: row.error,
  createdAt: row.created_at,
  trainedAt: row.trained_at,
});

const withVersions = (row: ClassifierRow, versions: VersionRow[]): Classifier => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  versions: versions.filter((version) => version.classifier_id === row.id).sort((a, b) => b.version - a.version).map(versionFromRow),
});

/** The version that answers: the newest ready one (an older one keeps answering while a newer trains). */
export const answeringVersion = (classifier: Classifier) => classifier.versions.find((version) => version.status === 'ready');

/** A new classifier with its first version, training. */
export async function insertClassifier(db: D1Database, classifier: Omit<Classifier, 'versions'>, first: ClassifierVersion): Promise<void> {
  await db.batch([
    db
      .prepare('INSERT INTO classifiers (id, tenant_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
      .bind(classifier.id, classifier.tenantId, classifier.name, classifier.createdAt, classifier.updatedAt),
    insertVersionStatement(db, classifier.tenantId, classifier.id, first),
  ]);
}

function insertVersionStatement(db: D1Database, tenantId: string, classifierId: string, version: ClassifierVersion): D1PreparedStatement {
  return db
    .prepare('INSERT INTO classifier_versions (classifier_id, tenant_id, version, status, labels, examples, features, metrics, error, created_at, trained_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .bind(classifierId, tenantId, version.version, version.status, JSON.stringify(version.labels), version.examples, version.features, version.metrics ? JSON.stringify(version.metrics) : null, version.error, version.createdAt, version.trainedAt);
}

/**
 * The next version of a classifier, training. The version number is taken inside the INSERT
 * (MAX + 1), so two retrainings at once get two numbers, never the same one twice.
 */
export async function insertNextVersion(db: D1Database, tenantId: string, classifierId: string, version: Omit<ClassifierVersion, 'version'>, name?: string): Promise<number> {
  const now = version.createdAt;
  const inserted = await db
    .prepare(
      `INSERT INTO classifier_versions (classifier_id, tenant_id, version, status, labels, examples, features, metrics, error, created_at, trained_at)
       SELECT ?, ?, COALESCE(MAX(version), 0) + 1, ?, ?, ?, ?, NULL, NULL, ?, NULL FROM classifier_versions WHERE classifier_id = ? AND tenant_id = ?
       RETURNING version`,
    )
    .bind(classifierId, tenantId, version.status, JSON.stringify(version.labels), version.examples, version.features, now, classifierId, tenantId)
    .first<{ version: number }>();
  await db.prepare('UPDATE classifiers SET updated_at = ?, name = COALESCE(?, name) WHERE id = ? AND tenant_id = ?').bind(now, name ?? null, classifierId, tenantId).run();
  return inserted!.version;
}

/** The tenant's classifier with its versions, or null — also for another tenant's id. */
export async function findClassifier(db: D1Database, tenantId: string, id: string): Promise<Classifier | null> {
  const [classifier, versions] = await db.batch([
    db.prepare('SELECT * FROM classifiers WHERE id = ? AND tenant_id = ?').bind(id, tenantId),
    db.prepare('SELECT * FROM classifier_versions WHERE classifier_id = ? AND tenant_id = ?').bind(id, tenantId),
  ]);
  const row = (classifier!.results as ClassifierRow[])[0];
  return row ? withVersions(row, versions!.results as VersionRow[]) : null;
}

/** At most this many classifiers per tenant: each holds up to a few MB of weights in KV. */
export const MAX_CLASSIFIERS_PER_TENANT = 100;

export async function listClassifiers(db: D1Database, tenantId: string): Promise<Classifier[]> {
  const [classifiers, versions] = await db.batch([
    db.prepare('SELECT * FROM classifiers WHERE tenant_id = ? ORDER BY created_at, id').bind(tenantId),
    db.prepare('SELECT * FROM classifier_versions WHERE tenant_id = ?').bind(tenantId),
  ]);
  return (classifiers!.results as ClassifierRow[]).map((row) => withVersions(row, versions!.results as VersionRow[]));
}

export async function countClassifiers(db: D1Database, tenantId: string): Promise<number> {
  return (await db.prepare('SELECT COUNT(*) AS n FROM classifiers WHERE tenant_id = ?').bind(tenantId).first<{ n: number }>())?.n ?? 0;
}

/** A trained version: its weights go to KV first, so a version marked ready always has them. */
export async function markVersionReady(
  env: { DB: D1Database; CACHE: KVNamespace },
  tenantId: string,
  classifierId: string,
  version: number,
  trained: { model: LinearModel; metrics: TrainingMetrics },
): Promise<void> {
  await env.CACHE.put(kvKeys.classifierModel(tenantId, classifierId, version), JSON.stringify(serializeModel(trained.model)));
  await env.DB.prepare("UPDATE classifier_versions SET status = 'ready', metrics = ?, trained_at = ? WHERE classifier_id = ? AND tenant_id = ? AND version = ?")
    .bind(JSON.stringify(trained.metrics), new Date().toISOString(), classifierId, tenantId, version)
    .run();
}

export async function markVersionFailed(db: D1Database, tenantId: string, classifierId: string, version: number, error: string): Promise<void> {
  await db.prepare("UPDATE classifier_versions SET status = 'failed', error = ? WHERE classifier_id = ? AND tenant_id = ? AND version = ? AND status = 'training'")
    .bind(error, classifierId, tenantId, version)
    .run();
}

/**
 * Weights never change once written (a retraining is a new version), so an isolate keeps the
 * decoded ones it has used — decoding is the costly part; a deleted classifier is refused by its
 * D1 lookup before this is read.
 */
const models = new MemoryCache<LinearModel>(32);
const MODEL_TTL_MS = 10 * 60_000;

export async function readClassifierModel(kv: KVNamespace, tenantId: string, classifierId: string, version: number): Promise<LinearModel | null> {
  const key = kvKeys.classifierModel(tenantId, classifierId, version);
  const remembered = models.get(key);
  if (remembered) return remembered;
  const stored = await kv.get<StoredLinearModel>(key, 'json');
  if (!stored) return null;
  const model = deserializeModel(stored);
  models.set(key, model, MODEL_TTL_MS);
  return model;
}

/** A queued version's training set: kept until it is trained (or a day, if the queue never delivers). */
const PENDING_EXAMPLES_TTL_SECONDS = 24 * 60 * 60;

export async function putPendingExamples(kv: KVNamespace, tenantId: string, classifierId: string, version: number, examples: Example[]): Promise<void> {
  await kv.put(kvKeys.classifierExamples(tenantId, classifierId, version), JSON.stringify(examples), { expirationTtl: PENDING_EXAMPLES_TTL_SECONDS });
}

export async function takePendingExamples(kv: KVNamespace, tenantId: string, classifierId: string, version: number): Promise<Example[] | null> {
  return kv.get<Example[]>(kvKeys.classifierExamples(tenantId, classifierId, version), 'json');
}

export async function forgetPendingExamples(kv: KVNamespace, tenantId: string, classifierId: string, version: number): Promise<void> {
  await kv.delete(kvKeys.classifierExamples(tenantId, classifierId, version));
}

/** Deletes the classifier, its versions and their weights; false when the tenant has no such classifier. */
export async function deleteClassifier(env: { DB: D1Database; CACHE: KVNamespace }, tenantId: string, id: string): Promise<boolean> {
  const classifier = await findClassifier(env.DB, tenantId, id);
  if (!classifier) return false;
  await env.DB.batch([
    env.DB.prepare('DELETE FROM classifier_versions WHERE classifier_id = ? AND tenant_id = ?').bind(id, tenantId),
    env.DB.prepare('DELETE FROM classifiers WHERE id = ? AND tenant_id = ?').bind(id, tenantId),
  ]);
  await Promise.all(
    classifier.versions.flatMap((version) => [
      env.CACHE.delete(kvKeys.classifierModel(tenantId, id, version.version)),
      env.CACHE.delete(kvKeys.classifierExamples(tenantId, id, version.version)),
    ]),
  );
  for (const version of classifier.versions) models.delete(kvKeys.classifierModel(tenantId, id, version.version));
  return true;
}

import type { z } from '@hono/zod-openapi';
import { answerRequestSchema } from '../tasks/answer/schema';
import { classifyRequestSchema } from '../tasks/classify/schema';
import { embedRequestSchema } from '../tasks/embed/schema';
import { entitiesRequestSchema } from '../tasks/entities/schema';
import { languageRequestSchema } from '../tasks/language/schema';
import { moderateRequestSchema } from '../tasks/moderate/schema';
import type { TaskName } from '../tasks/registry';
import { rerankRequestSchema, type RerankResult } from '../tasks/rerank/schema';
import { sentimentRequestSchema } from '../tasks/sentiment/schema';
import { similarityRequestSchema } from '../tasks/similarity/schema';
import { summarizeRequestSchema } from '../tasks/summarize/schema';
import { translateRequestSchema } from '../tasks/translate/schema';

/**
 * How a webhook payload becomes a task request: `input: "ticket.description"` fills the task's
 * primary field; `input: {question: "a.b", context: "c"}` fills several. `options` fill the rest.
 * `sample` is a valid value used to check options when the hook is configured.
 */
interface TaskRequestShape {
  schema: z.ZodObject;
  primary: string;
  sample: Record<string, unknown>;
  /** As the task's route presents results (single-item tasks whose answer is a list). */
  present?: (results: unknown[]) => unknown[];
}

const text = (schema: z.ZodObject): TaskRequestShape => ({ schema, primary: 'text', sample: { text: 'sample' } });

export const TASK_REQUESTS: Record<TaskName, TaskRequestShape> = {
  sentiment: text(sentimentRequestSchema),
  classify: text(classifyRequestSchema),
  entities: text(entitiesRequestSchema),
  language: text(languageRequestSchema),
  embed: text(embedRequestSchema),
  moderate: text(moderateRequestSchema),
  summarize: text(summarizeRequestSchema),
  translate: text(translateRequestSchema),
  // `present` mirrors src/tasks/{similarity,rerank}/route.ts, so a webhook result reads like the API's.
  similarity: {
    schema: similarityRequestSchema,
    primary: 'source',
    sample: { source: 'sample', targets: ['sample'] },
    present: (results) => (results as number[][])[0]!.map((score) => ({ score })),
  },
  rerank: { schema: rerankRequestSchema, primary: 'query', sample: { query: 'sample', documents: ['sample'] }, present: (results) => (results as RerankResult[][])[0]! },
  answer: { schema: answerRequestSchema, primary: 'context', sample: { question: 'sample?', context: 'sample' } },
};

/** The request fields each mapped payload path fills. */
export function inputFields(task: TaskName, input: string | Record<string, string>): Record<string, string> {
  return typeof input === 'string' ? { [TASK_REQUESTS[task].primary]: input } : input;
}

/** A dotted path into a JSON document (`ticket.tags.0`); undefined when any step is missing. */
export function valueAtPath(document: unknown, path: string): unknown {
  let value = document;
  for (const step of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, step)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

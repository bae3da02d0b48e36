import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../contracts/env';
import type { CatalogModel } from '../providers/pricing';
import { registerSentiment } from './sentiment/route';
import { registerClassify } from './classify/route';
import { classifyTask } from './classify/task';
import { registerEntities } from './entities/route';
import { entitiesTask } from './entities/task';
import { registerLanguage } from './language/route';
import { languageTask } from './language/task';
import { sentimentTask } from './sentiment/task';
import { registerEmbed } from './embed/route';
import { embedTask } from './embed/task';
import { registerSimilarity } from './similarity/route';
import { similarityTask } from './similarity/task';
import { registerRerank } from './rerank/route';
import { rerankTask } from './rerank/task';
import { registerAnswer } from './answer/route';
import { answerTask } from './answer/task';
import { registerModerate } from './moderate/route';
import { moderateTask } from './moderate/task';
import { registerSummarize } from './summarize/route';
import { summarizeTask } from './summarize/task';
import { registerTranslate } from './translate/route';
import { translateTask } from './translate/task';
import type { AnyTask } from './types';

/**
 * Every task minnow serves: its definition and how its route is registered. Adding a task means
 * adding its folder (schema, models, providers, task, route) and one entry here.
 */
const ENTRIES = {
  sentiment: { task: sentimentTask, register: registerSentiment },
  classify: { task: classifyTask, register: registerClassify },
  entities: { task: entitiesTask, register: registerEntities },
  language: { task: languageTask, register: registerLanguage },
  embed: { task: embedTask, register: registerEmbed },
  similarity: { task: similarityTask, register: registerSimilarity },
  rerank: { task: rerankTask, register: registerRerank },
  answer: { task: answerTask, register: registerAnswer },
  moderate: { task: moderateTask, register: registerModerate },
  summarize: { task: summarizeTask, register: registerSummarize },
  translate: { task: translateTask, register: registerTranslate },
} satisfies Record<string, { task: AnyTask; register: (app: OpenAPIHono<AppEnv>) => void }>;

export type TaskName = keyof typeof ENTRIES;
export const TASK_NAMES = Object.keys(ENTRIES) as [TaskName, ...TaskName[]];
export const TASKS: Record<TaskName, AnyTask> = Object.fromEntries(Object.entries(ENTRIES).map(([name, entry]) => [name, entry.task])) as Record<TaskName, AnyTask>;

export function registerTaskRoutes(app: OpenAPIHono<AppEnv>): void {
  for (const entry of Object.values(ENTRIES)) entry.register(app);
}

/** Every model of every task, for GET /v1/models and admin validation. */
export function catalogModels(): CatalogModel[] {
  return Object.values(TASKS).flatMap((task) => task.models);
}

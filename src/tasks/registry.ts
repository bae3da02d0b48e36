import type { TaskName } from '../contracts/task-names';
import type { CatalogModel } from '../providers/pricing';
import { answerTask } from './answer/task';
import { classifyTask } from './classify/task';
import { embedTask } from './embed/task';
import { entitiesTask } from './entities/task';
import { languageTask } from './language/task';
import { moderateTask } from './moderate/task';
import { rerankTask } from './rerank/task';
import { sentimentTask } from './sentiment/task';
import { similarityTask } from './similarity/task';
import { summarizeTask } from './summarize/task';
import { translateTask } from './translate/task';
import type { PublicTask } from './types';

/**
 * Every task minnow serves, by name. Adding a task means adding its folder (schema, models,
 * providers, task) and one line here; the type holds this to `TASK_NAMES`.
 */
export const TASKS: Record<TaskName, PublicTask> = {
  sentiment: sentimentTask,
  classify: classifyTask,
  entities: entitiesTask,
  language: languageTask,
  embed: embedTask,
  similarity: similarityTask,
  rerank: rerankTask,
  answer: answerTask,
  moderate: moderateTask,
  summarize: summarizeTask,
  translate: translateTask,
};

/** Every model of every task, for GET /v1/models and admin validation. */
export function catalogModels(): CatalogModel[] {
  return Object.values(TASKS).flatMap((task) => task.models);
}

/**
 * Every task minnow serves, by name (`POST /v1/<name>`). A literal on the ground floor, so code
 * that only needs a name (key scopes, webhook configs) never loads the tasks themselves;
 * `tasks/registry.ts` checks itself against this list.
 */
export const TASK_NAMES = ['sentiment', 'classify', 'entities', 'language', 'embed', 'similarity', 'rerank', 'answer', 'moderate', 'summarize', 'translate'] as const;
export type TaskName = (typeof TASK_NAMES)[number];

import { TASK_NAMES, type TaskName } from './task-names';

/**
 * What an API key may be allowed to do: each task by name, plus the operations that are not one
 * task. `chat` covers /v1/chat and /v1/chat/completions; `search` covers knowledge-base search.
 * Managing resources (knowledge bases, bots, classifiers, webhooks) needs a secret key with every scope.
 */
export const OPERATION_SCOPES = ['chat', 'search'] as const;
export type KeyScope = TaskName | (typeof OPERATION_SCOPES)[number];
export const KEY_SCOPES = [...TASK_NAMES, ...OPERATION_SCOPES] as [KeyScope, ...KeyScope[]];

import type { TaskName } from '../contracts/task-names';
import { TASKS } from '../tasks/registry';

/**
 * The request fields each mapped payload path fills: `input: "ticket.description"` fills the
 * task's primary field; `input: {question: "a.b", context: "c"}` fills several.
 */
export function inputFields(task: TaskName, input: string | Record<string, string>): Record<string, string> {
  return typeof input === 'string' ? { [TASKS[task].api.primaryField]: input } : input;
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

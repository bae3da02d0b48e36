import type { TaskContext } from '../pipeline/run-task';
import { ApiError } from '../errors';
import type { Passage, SearchRequest } from './types';

/**
 * Searches the tenant's knowledge bases (ids already checked to be the tenant's): embeds the
 * query through the embed pipeline (metered as a step of the caller's request) and fuses vector
 * and keyword ranks. Never returns another tenant's passages: every query filters on the tenant.
 */
export async function searchKnowledge(_ctx: TaskContext, _request: SearchRequest): Promise<Passage[]> {
  throw new ApiError(503, 'not_ready', 'Knowledge-base search is being built');
}

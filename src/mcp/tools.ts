import type { Context } from 'hono';
import { z } from 'zod';
import { getOpenApiMetadata } from '@asteasolutions/zod-to-openapi';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { admitScoped, admitTask } from '../admission/admit';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import type { KeyScope } from '../contracts/scopes';
import type { TaskName } from '../contracts/task-names';
import { validationError } from '../contracts/validation';
import { runTask } from '../pipeline/run-task';
import { withHeldReservation } from '../pipeline/step-context';
import { findKnowledgeBase, type KnowledgeBase } from '../storage/knowledge-bases';
import type { AuthenticatedKey } from '../storage/api-keys';
import { TASKS } from '../tasks/registry';
import type { PublicTask } from '../tasks/types';
import { embeddingEstimate } from '../kb/embed-texts';
import { searchResultSchema, searchSchema } from '../kb/schema';
import { searchKnowledge } from '../kb/search';
import { turnSource } from '../chat/chat-route';
import { runTurn } from '../chat/run-turn';
import { chatRequestSchema, chatResponseSchema } from '../chat/schema';
import { chatEstimate, startTurn } from '../chat/start-turn';
import { holdReservation } from '../pipeline/step-context';
import type { Bot } from '../storage/bots';
import { answeringVersion, type Classifier } from '../storage/classifiers';
import { envelopeResult, structuredResult } from './results';
import { namedList } from '../lib/named-list';

type JsonSchema = Tool['inputSchema'];

/**
 * A zod schema as the JSON Schema an MCP client sees (2020-12, the dialect MCP assumes; no
 * `$schema`), with the field descriptions and examples the routes give in `.openapi({...})` — what
 * /openapi.json shows — so an agent reads the same documentation as a developer.
 */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      const meta = getOpenApiMetadata(zodSchema as unknown as z.ZodType);
      if (typeof meta.description === 'string' && jsonSchema.description === undefined) jsonSchema.description = meta.description;
      if (meta.example !== undefined && jsonSchema.examples === undefined) jsonSchema.examples = [meta.example];
    },
  }) as Record<string, unknown>;
  const { $schema: _dialect, ...rest } = json;
  return rest as JsonSchema;
}

/** Parses a tool's arguments with the HTTP route's own schema; a failure names the field, as the route's 400 does. */
function parseArguments<T extends z.ZodType>(schema: T, args: unknown): z.output<T> {
  const parsed = schema.safeParse(args);
  if (!parsed.success) throw validationError(parsed.error as never, args);
  return parsed.data;
}

/** Knowledge bases and bots named in a tool's description (and offered as an enum when there are no more). */
export const MAX_CHOICES = 50;
const choices = (entries: { id: string; name: string }[]) =>
  namedList(entries.map((entry) => `${entry.id} (“${entry.name.slice(0, 80)}”)`), MAX_CHOICES);

export const mayUse = (key: AuthenticatedKey, scope: KeyScope) => key.scopes.includes('*') || key.scopes.includes(scope);

// ── one tool per task ─────────────────────────────────────────────────────────────────────────────

const taskSchemas = new Map<string, { input: JsonSchema; output: JsonSchema }>();

/** Built once per isolate: the task's request schema (what POST /v1/<task> validates) and its envelope. */
function schemasOf(task: PublicTask): { input: JsonSchema; output: JsonSchema } {
  let schemas = taskSchemas.get(task.name);
  if (!schemas) {
    schemas = { input: jsonSchemaOf(task.api.request, 'input'), output: jsonSchemaOf(task.api.response, 'output') };
    taskSchemas.set(task.name, schemas);
  }
  return schemas;
}

function taskTool(task: PublicTask, classifiers: Classifier[]): Tool {
  const { input, output } = schemasOf(task);
  const trained = task.name === 'classify' ? classifierChoices(input, classifiers) : { input, listed: '' };
  return {
    name: task.name,
    title: task.api.summary,
    description: `${task.api.summary}. ${task.api.description} Same as POST /v1/${task.name}: cached, rate-limited, budgeted and billed alike; the answer is its envelope.${trained.listed}`,
    inputSchema: trained.input,
    outputSchema: output,
    annotations: { readOnlyHint: true, openWorldHint: false },
  };
}

/** POST /v1/<task>'s handler, as a tool: validate → admit → the one pipeline → the envelope. */
async function callTask(c: Context<AppEnv>, task: PublicTask, args: unknown): Promise<CallToolResult> {
  const input = parseArguments(task.api.request, args);
  const context = await admitTask(c, task, input);
  const outcome = await runTask(context, task, input);
  if (task.api.presentResults) outcome.envelope.results = task.api.presentResults(outcome.envelope.results);
  return envelopeResult(outcome.envelope, outcome.cacheStatus);
}

/**
 * The classify tool with the tenant's trained classifiers as the choices of `classifier` (when
 * there are few enough) and named, with their labels, in the description: an agent can route a
 * ticket with the tenant's own model without listing them first.
 */
function classifierChoices(input: JsonSchema, classifiers: Classifier[]): { input: JsonSchema; listed: string } {
  const ready = classifiers.filter((classifier) => answeringVersion(classifier));
  if (ready.length === 0) return { input, listed: '' };
  const withLabels = ready.map((classifier) => ({ id: classifier.id, name: `${classifier.name}: ${answeringVersion(classifier)!.labels.join(', ')}` }));
  const copy = structuredClone(input) as JsonSchema & { properties: Record<string, Record<string, unknown>> };
  if (ready.length <= MAX_CHOICES) copy.properties.classifier = { ...copy.properties.classifier, enum: ready.map((classifier) => classifier.id) };
  return { input: copy, listed: ` Your trained classifiers (pass one as \`classifier\` instead of \`labels\`): ${choices(withLabels)}.` };
}

// ── kb_search ─────────────────────────────────────────────────────────────────────────────────────

const kbSearchSchema = z
  .object({ kb_id: z.string().min(1).max(100).describe('The knowledge base to search (one of yours; see the kb_id choices or the knowledge-base resources)'), ...searchSchema.shape })
  .strict();
const kbSearchOutput = z.object({ object: z.literal('list'), results: z.array(searchResultSchema) });
let kbSearchSchemas: { input: JsonSchema; output: JsonSchema } | undefined;

function kbSearchTool(kbs: KnowledgeBase[]): Tool {
  kbSearchSchemas ??= { input: jsonSchemaOf(kbSearchSchema, 'input'), output: jsonSchemaOf(kbSearchOutput, 'output') };
  const input = structuredClone(kbSearchSchemas.input) as JsonSchema & { properties: Record<string, Record<string, unknown>> };
  // The key's tenant's knowledge bases, and only those, as the choices an agent sees.
  if (kbs.length > 0 && kbs.length <= MAX_CHOICES) input.properties.kb_id = { ...input.properties.kb_id, enum: kbs.map((kb) => kb.id) };
  const listed = kbs.length > 0 ? ` Your knowledge bases: ${choices(kbs)}.` : ' You have no knowledge base yet (create one with POST /v1/kb).';
  return {
    name: 'kb_search',
    title: 'Search a knowledge base',
    description: `Search one of your knowledge bases (hybrid vector + keyword) and get the best passages first, each with its document, title, url and offsets. Same as POST /v1/kb/{id}/search; the query's embedding is billed like an embed call.${listed}`,
    inputSchema: input,
    outputSchema: kbSearchSchemas.output,
    annotations: { readOnlyHint: true, openWorldHint: false },
  };
}

/** POST /v1/kb/{id}/search's handler, as a tool. Another tenant's id finds nothing: a 404, as over HTTP. */
async function callKbSearch(c: Context<AppEnv>, args: unknown): Promise<CallToolResult> {
  const input = parseArguments(kbSearchSchema, args);
  const ctx = await admitScoped(c, 'search', embeddingEstimate(c.env, [input.query]));
  const passages = await withHeldReservation(ctx, async (steps) => {
    const kb = await findKnowledgeBase(c.env.DB, steps.policy.tenantId, input.kb_id);
    if (!kb) throw new ApiError(404, 'knowledge_base_not_found', `No knowledge base ${input.kb_id}`, { param: 'kb_id' });
    return searchKnowledge(steps, { kbIds: [kb.id], query: input.query, topK: input.top_k, filter: input.filter, mode: input.mode, rerank: input.rerank });
  });
  const results = passages.map(({ kb_id: _kb, ...passage }) => passage);
  const text = results.length === 0 ? 'No passage matched.' : results.map((passage, i) => `[${i + 1}] ${passage.title}${passage.url ? ` <${passage.url}>` : ''} (score ${passage.score}): ${passage.text}`).join('\n\n');
  return structuredResult({ object: 'list', results }, text);
}

// ── ask_bot ───────────────────────────────────────────────────────────────────────────────────────

/** POST /v1/chat's request without `stream`: a tool answers once. */
const askBotSchema = chatRequestSchema.omit({ stream: true });
let askBotSchemas: { input: JsonSchema; output: JsonSchema } | undefined;

function askBotTool(bots: Bot[]): Tool {
  askBotSchemas ??= { input: jsonSchemaOf(askBotSchema, 'input'), output: jsonSchemaOf(chatResponseSchema, 'output') };
  const input = structuredClone(askBotSchemas.input) as JsonSchema & { properties: Record<string, Record<string, unknown>> };
  if (bots.length > 0 && bots.length <= MAX_CHOICES) input.properties.bot = { ...input.properties.bot, enum: bots.map((bot) => bot.id) };
  const listed = bots.length > 0 ? ` Your bots: ${choices(bots)}.` : ' You have no bot yet (create one with POST /v1/bots).';
  return {
    name: 'ask_bot',
    title: 'Ask a customer-service bot',
    description:
      'One turn with one of your bots: grounded in its knowledge bases, with citations [n] that map to `citations[].index`, its guardrails and hand-off rules applied. ' +
      `Pass conversation_id (from a previous answer) to continue a conversation. Same as POST /v1/chat without streaming.${listed}`,
    inputSchema: input,
    outputSchema: askBotSchemas.output,
    annotations: { readOnlyHint: false, openWorldHint: false },
  };
}

/** POST /v1/chat's handler (not streamed), as a tool: one reservation held for the whole turn. */
async function callAskBot(c: Context<AppEnv>, args: unknown): Promise<CallToolResult> {
  const input = parseArguments(askBotSchema, args);
  const source = turnSource(input);
  const { steps, release } = holdReservation(await admitScoped(c, 'chat', chatEstimate(c.env, source.question)));
  let response;
  try {
    response = await runTurn(steps, await startTurn(c, steps, source));
  } finally {
    release();
  }
  const sources = response.citations.map((citation) => `[${citation.index}] ${citation.title}${citation.url ? ` <${citation.url}>` : ''}`).join('\n');
  const text = `${response.message.content}${sources ? `\n\nSources:\n${sources}` : ''}\n(conversation_id ${response.conversation_id}${response.handoff ? `; handed off: ${response.handoff.reason}` : ''})`;
  return structuredResult(response as unknown as Record<string, unknown>, text);
}

// ── the catalogue ─────────────────────────────────────────────────────────────────────────────────

/** The tools this key may call: a task tool per task scope (classify naming the tenant's classifiers), kb_search with `search`, ask_bot with `chat`. */
export function visibleTools(key: AuthenticatedKey, kbs: KnowledgeBase[], bots: Bot[], classifiers: Classifier[] = []): Tool[] {
  const tools = Object.values(TASKS)
    .filter((task) => mayUse(key, task.name as KeyScope))
    .map((task) => taskTool(task, classifiers));
  if (mayUse(key, 'search')) tools.push(kbSearchTool(kbs));
  if (mayUse(key, 'chat')) tools.push(askBotTool(bots));
  return tools;
}

/** Whether listing the tools needs the tenant's knowledge bases (kb_search's choices) and bots (ask_bot's). */
export const listsKnowledgeBases = (key: AuthenticatedKey) => mayUse(key, 'search');
export const listsBots = (key: AuthenticatedKey) => mayUse(key, 'chat');
/** Whether listing the tools needs the tenant's trained classifiers (the classify tool's choices). */
export const listsClassifiers = (key: AuthenticatedKey) => mayUse(key, 'classify');

/**
 * Runs one tool. Unknown names return undefined (the caller answers with MCP's own error); a key
 * without the tool's scope is refused by admission, as the HTTP route refuses it (403).
 */
export function toolCall(c: Context<AppEnv>, name: string, args: unknown): Promise<CallToolResult> | undefined {
  if (name === 'kb_search') return callKbSearch(c, args);
  if (name === 'ask_bot') return callAskBot(c, args);
  const task = Object.hasOwn(TASKS, name) ? TASKS[name as TaskName] : undefined;
  return task ? callTask(c, task, args) : undefined;
}

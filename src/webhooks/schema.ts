import { z } from '@hono/zod-openapi';
import { TASK_NAMES, type TaskName } from '../contracts/task-names';
import { standardSecretKey } from './hmac';
import { TASKS } from '../tasks/registry';
import { inputFields } from './task-inputs';
import { TENANT_EVENT_TYPES } from '../contracts/tenant-events';
import { VERIFY_SCHEMES } from '../storage/webhooks';

export const MAX_HOOK_TASKS = 10;
export const MAX_SECRET_CHARS = 1_000;
export const MIN_SECRET_CHARS = 8;
/** How long the previous inbound secret stays valid after a rotation, unless the PATCH says otherwise. */
export const DEFAULT_ROTATION_WINDOW_SECONDS = 86_400;
export const MAX_ROTATION_WINDOW_SECONDS = 7 * 86_400;

const pathSchema = z
  .string()
  .max(200, 'must be at most 200 characters')
  .regex(/^[^.\s]+(\.[^.\s]+)*$/, 'must be a dotted path into the payload, such as "ticket.description"');

const hookTaskSchema = z
  .object({
    task: z.enum(TASK_NAMES).openapi({ description: 'A task name, as in POST /v1/<task>' }),
    input: z.union([pathSchema, z.record(z.string(), pathSchema).refine((fields) => Object.keys(fields).length > 0, 'must map at least one field')]).openapi({
      description: 'Dotted path into the inbound JSON whose value becomes the task\'s main field (`text`; `source` for similarity, `query` for rerank, `context` for answer), or `{field: path}` to fill several fields',
      example: 'ticket.description',
    }),
    options: z.record(z.string(), z.unknown()).optional().openapi({ description: 'The task\'s other request fields, fixed for every delivery (e.g. classify `labels`)', example: { labels: ['billing', 'shipping'] } }),
  })
  .strict();

/** Options are checked with the task's own request schema, with sample values standing in for the mapped fields. */
function checkTaskOptions(tasks: z.infer<typeof hookTaskSchema>[], ctx: z.RefinementCtx, prefix: PropertyKey[]): void {
  const seen = new Set<TaskName>();
  tasks.forEach((config, index) => {
    const at = [...prefix, index];
    if (seen.has(config.task)) ctx.addIssue({ code: 'custom', path: [...at, 'task'], message: `repeats the task "${config.task}"; results are keyed by task name` });
    seen.add(config.task);
    const api = TASKS[config.task].api;
    const mapped = Object.keys(inputFields(config.task, config.input));
    const fieldNames = Object.keys(api.request.shape);
    for (const field of mapped) {
      if (!fieldNames.includes(field)) ctx.addIssue({ code: 'custom', path: [...at, 'input', field], message: `${config.task} has no field "${field}" (it has ${fieldNames.join(', ')})` });
      if (config.options && field in config.options) ctx.addIssue({ code: 'custom', path: [...at, 'options', field], message: `is filled from the payload by "input"` });
    }
    const candidate: Record<string, unknown> = { ...config.options };
    for (const field of mapped) candidate[field] = api.sample[field];
    const parsed = api.request.safeParse(candidate);
    if (parsed.success) return;
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) ctx.addIssue({ code: 'custom', path: [...at, 'options', key], message: `${config.task} has no option "${key}"` });
        continue;
      }
      if (mapped.includes(String(issue.path[0]))) continue;
      ctx.addIssue({ code: 'custom', path: [...at, 'options', ...issue.path.map((step) => (typeof step === 'symbol' ? String(step) : step))], message: issue.message });
    }
  });
}

const tasksSchema = z
  .array(hookTaskSchema)
  .max(MAX_HOOK_TASKS, `must hold at most ${MAX_HOOK_TASKS} tasks`)
  .superRefine((tasks, ctx) => checkTaskOptions(tasks, ctx, []))
  .openapi({ description: `Up to ${MAX_HOOK_TASKS} tasks run on each inbound delivery, each task at most once` });

const secretSchema = z.string().min(MIN_SECRET_CHARS, `must be at least ${MIN_SECRET_CHARS} characters`).max(MAX_SECRET_CHARS, `must be at most ${MAX_SECRET_CHARS} characters`);

const standardSecretOk = (verify: { scheme?: string; secret: string }) => verify.scheme !== 'standard' || standardSecretKey(verify.secret) !== null;
const standardSecretIssue = { message: 'a Standard Webhooks secret is base64, optionally after "whsec_"', path: ['secret'] };

const verifySchema = z
  .object({
    scheme: z.enum(VERIFY_SCHEMES).openapi({ description: 'How the sender signs: Standard Webhooks, GitHub (X-Hub-Signature-256), Stripe (Stripe-Signature) or hmac-sha256 (X-Signature: hex HMAC of the body)' }),
    secret: secretSchema.openapi({ description: 'The secret the sender signs with. Stored encrypted; never returned.' }),
  })
  .strict()
  .refine(standardSecretOk, standardSecretIssue);

const eventsSchema = z
  .array(z.enum(TENANT_EVENT_TYPES))
  .max(TENANT_EVENT_TYPES.length)
  .transform((events) => [...new Set(events)])
  .openapi({ description: `Tenant events delivered to this destination: ${TENANT_EVENT_TYPES.join(', ')}` });

const destinationSchema = z
  .object({ url: z.string().openapi({ description: 'https URL receiving signed deliveries (http only to localhost in development)', example: 'https://example.com/minnow' }) })
  .strict();

export const createHookSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    verify: verifySchema.optional().openapi({ description: 'Required when `tasks` are given: how inbound deliveries are authenticated' }),
    tasks: tasksSchema.optional(),
    destination: destinationSchema,
    events: eventsSchema.optional(),
  })
  .strict()
  .superRefine((hook, ctx) => {
    const tasks = hook.tasks?.length ?? 0;
    if (tasks > 0 && !hook.verify) ctx.addIssue({ code: 'custom', path: ['verify'], message: 'is required when tasks are given' });
    if (tasks === 0 && (hook.events?.length ?? 0) === 0) ctx.addIssue({ code: 'custom', path: ['tasks'], message: 'give tasks (with verify), events, or both' });
  })
  .openapi('WebhookCreate', {
    example: {
      name: 'helpdesk tickets',
      verify: { scheme: 'standard', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
      tasks: [
        { task: 'sentiment', input: 'ticket.description' },
        { task: 'classify', input: 'ticket.description', options: { labels: ['billing', 'shipping', 'account'] } },
      ],
      destination: { url: 'https://example.com/minnow' },
      events: ['budget.soft_limit'],
    },
  });

const rotationWindow = (what: string) =>
  z
    .number()
    .int()
    .min(0)
    .max(MAX_ROTATION_WINDOW_SECONDS)
    .default(DEFAULT_ROTATION_WINDOW_SECONDS)
    .openapi({ description: `${what}, in seconds (0–${MAX_ROTATION_WINDOW_SECONDS}; default ${DEFAULT_ROTATION_WINDOW_SECONDS}: one day)` });

export const updateHookSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional(),
    verify: z
      .object({
        scheme: z.enum(VERIFY_SCHEMES).optional().openapi({ description: 'Omitted: unchanged. A new scheme ends the old secret at once.' }),
        secret: secretSchema.openapi({ description: 'The new secret. With the same scheme the old one stays valid for `rotation_window_seconds`.' }),
        rotation_window_seconds: rotationWindow('How long the previous secret stays valid'),
      })
      .strict()
      .refine(standardSecretOk, standardSecretIssue)
      .nullable()
      .optional()
      .openapi({ description: 'A new inbound secret (rotation), or null to stop accepting inbound deliveries (only with `tasks: []`: an events-only destination)' }),
    tasks: tasksSchema.optional(),
    destination: destinationSchema.optional(),
    events: eventsSchema.optional(),
    rotate_signing_secret: z
      .object({ rotation_window_seconds: rotationWindow('How long deliveries stay signed with the old secret too') })
      .strict()
      .optional()
      .openapi({ description: 'Issue a new outbound signing secret (returned once, as `signing_secret`); deliveries carry both signatures during the window' }),
  })
  .strict()
  .openapi('WebhookUpdate');

export const hookSchema = z
  .object({
    id: z.string().openapi({ example: 'whk_3fKq9Lm2Xa7bC1dE' }),
    object: z.literal('webhook'),
    name: z.string(),
    inbound_url: z.string().nullable().openapi({ description: 'Where the sender posts; null for an events-only destination' }),
    verify: z
      .object({
        scheme: z.enum(VERIFY_SCHEMES),
        previous_secret_valid_until: z.string().nullable().openapi({ description: 'During a rotation: when the previous secret stops being accepted' }),
      })
      .nullable(),
    signing: z.object({
      previous_secret_valid_until: z.string().nullable().openapi({ description: 'After a signing-secret rotation: until when deliveries also carry the old signature' }),
    }),
    tasks: z.array(hookTaskSchema),
    events: z.array(z.string()),
    destination: z.object({ url: z.string() }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Webhook');

export const createdHookSchema = hookSchema
  .extend({ signing_secret: z.string().openapi({ description: 'whsec_…: verify our deliveries with it (Standard Webhooks). Shown only now.' }) })
  .openapi('WebhookCreated');

export const updatedHookSchema = hookSchema
  .extend({ signing_secret: z.string().optional().openapi({ description: 'Only after `rotate_signing_secret`: the new whsec_… secret, shown only now' }) })
  .openapi('WebhookUpdated');

export const hookIdParams = z.object({ id: z.string().max(64).openapi({ param: { name: 'id', in: 'path' }, example: 'whk_3fKq9Lm2Xa7bC1dE' }) });

import type { ProviderId } from '../contracts/provider-ids';

/** When a conversation goes to a person (see src/chat/escalation.ts). */
export interface EscalationRules {
  keywords: string[];
  /** Hand off when the best passage's similarity to the question is below this; null = rule off. */
  min_retrieval_score: number | null;
  on_request_for_human: boolean;
  /** Hand off when the message is negative with at least this confidence; null = rule off. */
  on_negative_sentiment: number | null;
  /** What the customer is told on a handoff, in the tenant's words; null = minnow's message per reason. */
  handoff_message: string | null;
}

/** What a bot lets agents ask of it beyond a grounded answer (both off unless the tenant enables them). */
export interface BotAgentSettings {
  /** Function calling: `tools` / `tool_choice` and tool turns in POST /v1/chat/completions. */
  tools: boolean;
  /** JSON output: `response_format` json_object / json_schema. */
  json: boolean;
}

export const AGENT_OFF: BotAgentSettings = { tools: false, json: false };

export interface Bot {
  id: string;
  tenantId: string;
  name: string;
  instructions: string;
  knowledgeBases: string[];
  topics: string[] | null;
  model: string | null;
  providers: ProviderId[] | null;
  escalation: EscalationRules;
  agent: BotAgentSettings;
  createdAt: string;
  updatedAt: string;
}

interface BotRow {
  id: string;
  tenant_id: string;
  name: string;
  instructions: string;
  knowledge_bases: string;
  topics: string | null;
  model: string | null;
  providers: string | null;
  escalation: string;
  /** JSON BotAgentSettings; NULL (bots from before migration 0012 too) = both off. */
  agent: string | null;
  created_at: string;
  updated_at: string;
}

const fromRow = (row: BotRow): Bot => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  instructions: row.instructions,
  knowledgeBases: JSON.parse(row.knowledge_bases) as string[],
  topics: row.topics === null ? null : (JSON.parse(row.topics) as string[]),
  model: row.model,
  providers: row.providers === null ? null : (JSON.parse(row.providers) as ProviderId[]),
  // Rules stored before handoff_message existed read as null.
  escalation: { handoff_message: null, ...(JSON.parse(row.escalation) as Partial<EscalationRules>) } as EscalationRules,
  agent: row.agent === null ? AGENT_OFF : { ...AGENT_OFF, ...(JSON.parse(row.agent) as Partial<BotAgentSettings>) },
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
/** Both off is stored as NULL, as every bot created before the setting existed. */
const agentJson = (agent: BotAgentSettings) => (agent.tools || agent.json ? JSON.stringify(agent) : null);

export async function insertBot(db: D1Database, bot: Bot): Promise<void> {
  await db
    .prepare('INSERT INTO bots (id, tenant_id, name, instructions, knowledge_bases, topics, model, providers, escalation, agent, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .bind(bot.id, bot.tenantId, bot.name, bot.instructions, JSON.stringify(bot.knowledgeBases), json(bot.topics), bot.model, json(bot.providers), JSON.stringify(bot.escalation), agentJson(bot.agent), bot.createdAt, bot.updatedAt)
    .run();
}

export async function updateBot(db: D1Database, bot: Bot): Promise<void> {
  await db
    .prepare('UPDATE bots SET name = ?, instructions = ?, knowledge_bases = ?, topics = ?, model = ?, providers = ?, escalation = ?, agent = ?, updated_at = ? WHERE id = ? AND tenant_id = ?')
    .bind(bot.name, bot.instructions, JSON.stringify(bot.knowledgeBases), json(bot.topics), bot.model, json(bot.providers), JSON.stringify(bot.escalation), agentJson(bot.agent), bot.updatedAt, bot.id, bot.tenantId)
    .run();
}

/** The tenant's bot, or null — also for another tenant's id, which must look the same as none. */
export async function findBot(db: D1Database, tenantId: string, id: string): Promise<Bot | null> {
  const row = await db.prepare('SELECT * FROM bots WHERE id = ? AND tenant_id = ?').bind(id, tenantId).first<BotRow>();
  return row ? fromRow(row) : null;
}

export async function listBots(db: D1Database, tenantId: string, limit: number): Promise<Bot[]> {
  const { results } = await db.prepare('SELECT * FROM bots WHERE tenant_id = ? ORDER BY created_at, id LIMIT ?').bind(tenantId, limit).all<BotRow>();
  return results.map(fromRow);
}

/** Conversations are kept until they expire: their transcripts stay readable after the bot is gone. */
export async function deleteBot(db: D1Database, tenantId: string, id: string): Promise<boolean> {
  const result = await db.prepare('DELETE FROM bots WHERE id = ? AND tenant_id = ?').bind(id, tenantId).run();
  return (result.meta.changes ?? 0) > 0;
}

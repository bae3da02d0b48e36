/** One conversation with a bot; `expiresAt` slides with activity (see docs/chat.md, retention). */
export interface Conversation {
  id: string;
  tenantId: string;
  botId: string;
  keyId: string;
  turns: number;
  handoffReason: string | null;
  handedOffAt: string | null;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
}

export interface StoredCitation {
  index: number;
  document_id: string;
  title: string;
  url?: string;
  text: string;
}

export interface StoredMessage {
  role: 'user' | 'assistant';
  content: string;
  citations?: StoredCitation[];
  created_at: string;
}

interface ConversationRow {
  id: string;
  tenant_id: string;
  bot_id: string;
  key_id: string;
  turns: number;
  handoff_reason: string | null;
  handed_off_at: string | null;
  created_at: string;
  updated_at: string;
  expires_at: string;
}

/** Expired conversations deleted per write: bounded, so one request never pays for a backlog. */
const PRUNE_BATCH = 50;

const fromRow = (row: ConversationRow): Conversation => ({
  id: row.id,
  tenantId: row.tenant_id,
  botId: row.bot_id,
  keyId: row.key_id,
  turns: row.turns,
  handoffReason: row.handoff_reason,
  handedOffAt: row.handed_off_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  expiresAt: row.expires_at,
});

/** The tenant's unexpired conversation, or null (another tenant's id and an expired one look the same). */
export async function findConversation(db: D1Database, tenantId: string, id: string, now: string): Promise<Conversation | null> {
  const row = await db.prepare('SELECT * FROM conversations WHERE id = ? AND tenant_id = ? AND expires_at > ?').bind(id, tenantId, now).first<ConversationRow>();
  return row ? fromRow(row) : null;
}

/** The conversation's last `limit` messages (at most what is kept), oldest first. */
export async function recentMessages(db: D1Database, conversationId: string, limit: number): Promise<StoredMessage[]> {
  const { results } = await db
    .prepare('SELECT role, content, citations, created_at FROM conversation_messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?')
    .bind(conversationId, limit)
    .all<{ role: 'user' | 'assistant'; content: string; citations: string | null; created_at: string }>();
  return results.reverse().map((row) => ({
    role: row.role,
    content: row.content,
    ...(row.citations ? { citations: JSON.parse(row.citations) as StoredCitation[] } : {}),
    created_at: row.created_at,
  }));
}

export interface TurnRecord {
  conversation: Pick<Conversation, 'id' | 'tenantId' | 'botId' | 'keyId'> & { isNew: boolean };
  user: string;
  assistant: string;
  citations: StoredCitation[];
  handoffReason: string | null;
  now: string;
  expiresAt: string;
  /** Messages kept per conversation; older ones are deleted in the same batch. */
  maxMessages: number;
}

/**
 * Writes one turn (the user's message and the answer) in one batch — one transaction: creates the
 * conversation or slides its expiry, marks a handoff, trims it to `maxMessages`, and prunes a
 * bounded number of the tenant's expired conversations (their messages go with them, ON DELETE
 * CASCADE). Sequence numbers come from the table inside the transaction, so two turns sent at
 * once to the same conversation both land, one after the other.
 */
export async function recordTurn(db: D1Database, turn: TurnRecord): Promise<void> {
  const { conversation: conv, now } = turn;
  const nextSeq = '(SELECT COALESCE(MAX(seq), -1) + 1 FROM conversation_messages WHERE conversation_id = ?)';
  const insertMessage = `INSERT INTO conversation_messages (conversation_id, seq, role, content, citations, created_at) VALUES (?, ${nextSeq}, ?, ?, ?, ?)`;
  const statements = [
    conv.isNew
      ? db
          .prepare('INSERT INTO conversations (id, tenant_id, bot_id, key_id, turns, handoff_reason, handed_off_at, created_at, updated_at, expires_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?)')
          .bind(conv.id, conv.tenantId, conv.botId, conv.keyId, turn.handoffReason, turn.handoffReason ? now : null, now, now, turn.expiresAt)
      : db
          .prepare(
            'UPDATE conversations SET turns = turns + 1, updated_at = ?, expires_at = ?, handoff_reason = COALESCE(handoff_reason, ?), handed_off_at = COALESCE(handed_off_at, ?) WHERE id = ? AND tenant_id = ?',
          )
          .bind(now, turn.expiresAt, turn.handoffReason, turn.handoffReason ? now : null, conv.id, conv.tenantId),
    db.prepare(insertMessage).bind(conv.id, conv.id, 'user', turn.user, null, now),
    db.prepare(insertMessage).bind(conv.id, conv.id, 'assistant', turn.assistant, JSON.stringify(turn.citations), now),
    db
      .prepare('DELETE FROM conversation_messages WHERE conversation_id = ? AND seq <= (SELECT MAX(seq) FROM conversation_messages WHERE conversation_id = ?) - ?')
      .bind(conv.id, conv.id, turn.maxMessages),
    db
      .prepare('DELETE FROM conversations WHERE id IN (SELECT id FROM conversations WHERE tenant_id = ? AND expires_at <= ? ORDER BY expires_at LIMIT ?)')
      .bind(conv.tenantId, now, PRUNE_BATCH),
  ];
  await db.batch(statements);
}

/** The tenant's unexpired conversations, most recently active first, optionally one bot's or only handed-off ones. */
export async function listConversations(db: D1Database, tenantId: string, query: { now: string; limit: number; botId?: string; handedOff?: boolean }): Promise<Conversation[]> {
  const conditions = ['tenant_id = ?', 'expires_at > ?'];
  const values: unknown[] = [tenantId, query.now];
  if (query.botId) {
    conditions.push('bot_id = ?');
    values.push(query.botId);
  }
  if (query.handedOff !== undefined) conditions.push(query.handedOff ? 'handoff_reason IS NOT NULL' : 'handoff_reason IS NULL');
  const { results } = await db
    .prepare(`SELECT * FROM conversations WHERE ${conditions.join(' AND ')} ORDER BY updated_at DESC, id LIMIT ?`)
    .bind(...values, query.limit)
    .all<ConversationRow>();
  return results.map(fromRow);
}

/** Deletes a conversation and its messages (ON DELETE CASCADE): a customer's right to erasure. */
export async function deleteConversation(db: D1Database, tenantId: string, id: string): Promise<boolean> {
  const result = await db.prepare('DELETE FROM conversations WHERE id = ? AND tenant_id = ?').bind(id, tenantId).run();
  return (result.meta.changes ?? 0) > 0;
}

/** Whether a conversation row exists at all, expired or not (tests and pruning checks). */
export async function conversationExists(db: D1Database, id: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 AS one FROM conversations WHERE id = ?').bind(id).first()) !== null;
}

import type { Passage } from '../kb/types';
import type { EscalationRules } from '../storage/bots';

export type HandoffReason = 'keyword' | 'requested_human' | 'low_retrieval_confidence' | 'negative_sentiment';

/** What `on_negative_sentiment: true` means: negative with at least this confidence. */
export const DEFAULT_NEGATIVE_SENTIMENT_THRESHOLD = 0.8;

export const HANDOFF_MESSAGES: Record<HandoffReason, string> = {
  keyword: "I'm passing this conversation to a member of our team, who will reply here as soon as possible.",
  requested_human: "Of course — I'm connecting you with a member of our team. They will reply here as soon as possible.",
  low_retrieval_confidence: "I couldn't find this in our documentation, so I've passed your question to a member of our team. They will reply here as soon as possible.",
  negative_sentiment: "I'm sorry this has been frustrating. I've asked a member of our team to join this conversation; they will reply here as soon as possible.",
};

/**
 * "talk to a person", "speak with a human agent", "can I get a real person", "I want a
 * representative", "live agent", "human please" … An explicit request, not any mention of people.
 * Patterns are anchored on a verb of talking or wanting and have no nested repeats: linear.
 */
const HUMAN_REQUEST = [
  /\b(?:talk|speak|chat|connect|transfer|put)\s+(?:me\s+)?(?:to|with|through\s+to)\s+(?:a|an|some|your|the)?\s*(?:real|live|actual)?\s*(?:person|human|agent|representative|rep|operator|someone|somebody|people|support\s+(?:agent|person|staff))\b/i,
  /\b(?:get|want|need|give\s+me)\s+(?:a|an|to\s+talk\s+to\s+a)?\s*(?:real|live|actual)\s+(?:person|human|agent)\b/i,
  /\b(?:i\s+(?:want|need)|can\s+i\s+(?:have|get))\s+(?:a|an)\s+(?:human|person|agent|representative)\b/i,
  /\b(?:live|human)\s+(?:agent|support|operator)\b/i,
  /^\s*(?:human|agent|representative|operator)(?:\s+please)?[\s.!?]*$/i,
  // The same request in French, Spanish, German, Italian and Portuguese ("Je veux parler à un
  // humain", "quiero hablar con una persona", "mit einem Menschen sprechen"): a visitor who writes
  // in their own language asks for a person in it too.
  /\b(?:parler|discuter)\s+(?:à|a|avec)\s+(?:quelqu['’]un|(?:un|une)\s+(?:vraie?\s+|véritable\s+)?(?:humain|personne|conseiller|conseillère|agent|opérateur|opératrice))\b/iu,
  /\b(?:je\s+(?:veux|voudrais)|j['’]aimerais)\s+(?:un|une)\s+(?:vraie?\s+)?(?:humain|personne|conseiller|conseillère|agent)\b/iu,
  /\b(?:hablar|comunicarme|conversar)\s+con\s+(?:alguien|(?:un|una|algún|algun)\s+(?:humano|humana|persona|agente|asesor|asesora|operador|operadora|representante))\b/iu,
  /\bmit\s+(?:einem|einer)\s+(?:echten\s+)?(?:Menschen|Mitarbeiter|Mitarbeiterin|Person|Berater|Beraterin)\s+(?:sprechen|reden)\b/iu,
  /\b(?:parlare|comunicare)\s+con\s+(?:qualcuno|(?:un|una)\s+(?:umano|persona|operatore|operatrice|agente|consulente))\b/iu,
  /\b(?:falar|conversar)\s+com\s+(?:alguém|alguem|(?:um|uma)\s+(?:humano|pessoa|atendente|agente|operador|operadora))\b/iu,
];

export const asksForHuman = (message: string): boolean => HUMAN_REQUEST.some((pattern) => pattern.test(message));

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The first of the bot's keywords the message contains (whole words, any case). */
export function matchedKeyword(message: string, keywords: string[]): string | undefined {
  return keywords.find((keyword) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(keyword.trim())}(?![\\p{L}\\p{N}])`, 'iu').test(message));
}

/** The retrieval confidence the rule compares: the best passage's cosine similarity (fused score when none). */
export function retrievalConfidence(passages: Passage[]): number {
  if (passages.length === 0) return 0;
  return Math.max(...passages.map((passage) => passage.similarity ?? passage.score));
}

/** The rules that need no model, in order of precedence: an explicit request, a keyword. */
export function immediateHandoff(message: string, rules: EscalationRules): HandoffReason | undefined {
  if (rules.on_request_for_human && asksForHuman(message)) return 'requested_human';
  if (rules.keywords.length > 0 && matchedKeyword(message, rules.keywords)) return 'keyword';
  return undefined;
}

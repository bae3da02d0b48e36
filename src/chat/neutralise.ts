/**
 * Retrieved text is data, not instructions: a document (or a customer-written page in a
 * knowledge base) may say "ignore previous instructions" or imitate a system prompt. Before a
 * passage goes into the prompt, text that tries to steer the model is replaced with a visible
 * marker, chat-template tokens and role markers are removed, and anything that could close the
 * prompt's <sources> section is escaped. The prompt also tells the model the section is data.
 */
export const NEUTRALISED = '[instruction removed]';

const STEERING: RegExp[] = [
  // "ignore / disregard / forget (all) (the) previous|prior|above|earlier|your instructions …"
  /\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|the\s+|your\s+|of\s+)*(?:previous|prior|above|earlier|preceding|system|original|your|these|those)?\s*(?:instructions?|prompts?|rules|directions|guidelines|messages?|context)\b[^.!?\n]*[.!?]?/gi,
  // "you are now …", "from now on you …", "act as …" — attempts to reassign the model's role.
  /\b(?:you\s+are\s+now|from\s+now\s+on,?\s+you|act\s+as\s+(?:an?\s+)?(?:unrestricted|different|new)|pretend\s+(?:to\s+be|you\s+are))\b[^.!?\n]*[.!?]?/gi,
  // "new instructions:", "system prompt:", "system override" …
  /\b(?:new|updated|real|actual|hidden|secret)\s+(?:system\s+)?(?:instructions?|prompt)\s*:[^\n]*/gi,
  /\bsystem\s+(?:prompt|override|message)\s*:[^\n]*/gi,
  /\b(?:reveal|print|repeat|show)\s+(?:your|the)\s+(?:system\s+)?(?:prompt|instructions)\b[^.!?\n]*[.!?]?/gi,
];

/** Chat-template control tokens of common model families (Llama 2/3, ChatML, Mistral, Alpaca). */
const TEMPLATE_TOKENS = /<\|[a-z_]+\|>|<\/?s>|\[\/?INST\]|<<\/?SYS>>|<\/?(?:system|assistant|user)>|^#{2,}\s*(?:system|instruction|response|assistant|user)\b:?/gim;
/** A line that starts like a chat transcript turn: "System: …", "ASSISTANT: …". */
const ROLE_MARKER = /^(\s*)(?:system|assistant|user|developer|human|ai)\s*:\s*/gim;

export function neutraliseInjections(text: string): { text: string; neutralised: number } {
  let count = 0;
  let out = text.replace(TEMPLATE_TOKENS, () => {
    count++;
    return ' ';
  });
  out = out.replace(ROLE_MARKER, (_match, indent: string) => {
    count++;
    return indent;
  });
  for (const pattern of STEERING) {
    out = out.replace(pattern, () => {
      count++;
      return NEUTRALISED;
    });
  }
  // The passage sits inside <source …>…</source> tags: it must not be able to close or open one.
  out = out.replace(/<(\/?)(sources?)\b/gi, (_match, slash: string, tag: string) => {
    count++;
    return `‹${slash}${tag}`;
  });
  return { text: out.replace(/[ \t]{2,}/g, ' ').trim(), neutralised: count };
}

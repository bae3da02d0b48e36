// The deterministic "model" behind both chat stand-ins' agent answers (tools and JSON mode), so
// Workers AI and Hugging Face decide alike and only their wire shapes differ.
//
// Tool rule: with functions offered and tool_choice not "none", the model calls one when
// tool_choice is "required" or names one (that one, else the first), or when the last message is
// the user's and names a function (its name, or its name with _ and - read as spaces, any case).
// The last message being a tool result means the call is done: the model answers in text,
// "Tool <name> said: <result>" (after a grounded prompt's tool result, followed by its grounded,
// cited answer). Arguments come from the function's JSON Schema: each required
// property gets `prop=value` / `prop: value` from the user's message when written there, else a
// value from its schema (enum's first, a number from the message or the minimum or 1, true,
// "example", [], {}). [[fake:tool-two]] calls two functions (the first two offered);
// [[fake:tool-unknown]] calls one that was not offered; [[fake:tool-bad-args]] sends arguments
// that miss the required properties; [[fake:tool-preamble]] writes "Let me look that up." before
// calling (models often say what they are about to do).
// JSON rule: an object built the same way from the schema, or for plain JSON mode
// `{"answer": <the text answer>}`. [[fake:bad-json]] answers text that is not JSON.

const named = (text, name) => {
  const lower = text.toLowerCase();
  return lower.includes(name.toLowerCase()) || lower.includes(name.toLowerCase().replace(/[_-]+/g, ' '));
};

function valueFor(name, schema, message) {
  const match = new RegExp(`\\b${name}\\s*[=:]\\s*(?:"([^"]*)"|([^\\s",;()]+))`, 'i').exec(message);
  const written = match ? (match[1] ?? match[2]) : undefined;
  const type = Array.isArray(schema?.type) ? schema.type[0] : schema?.type;
  if (Array.isArray(schema?.enum)) return written !== undefined && schema.enum.includes(written) ? written : schema.enum[0];
  if (type === 'number' || type === 'integer') {
    const number = Number(written ?? /-?\d+(\.\d+)?/.exec(message)?.[0] ?? schema?.minimum ?? 1);
    return type === 'integer' ? Math.round(number) : number;
  }
  if (type === 'boolean') return written ? written.toLowerCase() === 'true' : true;
  if (type === 'array') return [];
  if (type === 'object') return objectFor(schema, message);
  return written ?? 'example';
}

/** An object with every required property of `schema`, valued from the message or the schema. */
export function objectFor(schema, message) {
  const properties = schema?.properties ?? {};
  const required = Array.isArray(schema?.required) ? schema.required : [];
  return Object.fromEntries(required.map((name) => [name, valueFor(name, properties[name], message)]));
}

const lastUser = (messages) => [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';

/**
 * What the model does with `tools` (normalised to `{name, description, parameters}`):
 * `{ calls: [{name, arguments: object}], preamble? }`, or `{ text }` when it answers without calling.
 */
export function agentTurn(messages, tools, toolChoice, textAnswer) {
  const last = messages.at(-1);
  if (last?.role === 'tool') {
    const call = messages.flatMap((m) => m.tool_calls ?? []).find((c) => c.id === last.tool_call_id);
    const said = `Tool ${call?.function?.name ?? call?.name ?? 'unknown'} said: ${last.content}`;
    // A grounded prompt (a bot's) keeps answering from its sources too, cited.
    const grounded = messages.some((m) => m.role === 'system' && String(m.content).includes('<sources>'));
    return { text: grounded ? `${said}. ${textAnswer()}` : said };
  }
  if (!tools.length || toolChoice === 'none') return { text: textAnswer() };
  const message = lastUser(messages);
  const forced = typeof toolChoice === 'object' && toolChoice ? tools.find((t) => t.name === toolChoice.function?.name) : undefined;
  const chosen = forced ?? tools.find((tool) => named(message, tool.name)) ?? (toolChoice === 'required' ? tools[0] : undefined);
  if (!chosen) return { text: textAnswer() };
  const call = (tool) => ({ name: tool.name, arguments: message.includes('[[fake:tool-bad-args]]') ? {} : objectFor(tool.parameters, message) });
  const preamble = message.includes('[[fake:tool-preamble]]') ? { preamble: 'Let me look that up.' } : {};
  if (message.includes('[[fake:tool-unknown]]')) return { calls: [{ name: 'not_offered', arguments: {} }], ...preamble };
  if (message.includes('[[fake:tool-two]]') && tools.length > 1) return { calls: [call(tools[0]), call(tools[1])], ...preamble };
  return { calls: [call(chosen)], ...preamble };
}

/** A JSON-mode answer: the schema's object, or `{answer}` without a schema; text that is not JSON for [[fake:bad-json]]. */
export function jsonAnswer(messages, schema, textAnswer) {
  if (JSON.stringify(messages).includes('[[fake:bad-json]]')) return 'Sure! Here is your JSON: {"answer": ';
  return schema ? objectFor(schema, lastUser(messages)) : { answer: textAnswer() };
}

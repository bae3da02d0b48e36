// A tiny word list shared by the Workers AI and Hugging Face stand-ins, so their answers are
// deterministic and plausible: "I love it" is positive on every provider.
const POSITIVE = ['love', 'great', 'good', 'excellent', 'wonderful', 'happy', 'amazing', 'best', 'fantastic', 'perfect'];
const NEGATIVE = ['hate', 'terrible', 'bad', 'awful', 'broke', 'worst', 'horrible', 'angry', 'useless', 'poor'];

/** Probability the text is positive, like an SST-2 head's softmax. */
export function positiveProbability(text) {
  const words = String(text).toLowerCase().match(/[a-z']+/g) ?? [];
  const balance = words.filter((w) => POSITIVE.includes(w)).length - words.filter((w) => NEGATIVE.includes(w)).length;
  return Math.round((1 / (1 + Math.exp(-2.5 * balance))) * 10_000) / 10_000;
}

/** `[[ai:3040]]`, `[[hf:503]]` …: a fault a test asks a stand-in for, embedded in the input. */
export function directive(text, prefix) {
  const match = new RegExp(`\\[\\[${prefix}:([\\w.-]+)\\]\\]`).exec(String(text));
  return match ? match[1] : undefined;
}

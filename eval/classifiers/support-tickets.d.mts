/** Types of support-tickets.mjs for the tests that train on it. */
export const intents: Record<string, string[]>;

/** Types of off-topic.mjs for the tests that read its dev split. */
export const offTopic: { text: string; group: string; split: 'dev' | 'test' }[];

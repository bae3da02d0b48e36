// What eval/calibrate.mjs needs to fit the local classifier's correctness model in Node.
export { localEmbedder } from '../src/providers/local/semantic';
export { cosineSimilarity } from '../src/lib/vectors';
export { labelDescription } from '../src/tasks/classify/scoring';

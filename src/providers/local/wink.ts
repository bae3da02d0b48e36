import winkNLP, { type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

let nlp: WinkMethods | undefined;

/**
 * The embedded English pipeline (wink-nlp + its lite web model), loaded once per isolate on
 * first use (~0.1–0.2 s) and then shared by every local-tier task. Runs offline, costs nothing.
 */
export function winkPipeline(): WinkMethods {
  nlp ??= winkNLP(model);
  return nlp;
}

// Hugging Face routes and engines (issue 18, items 5 and 6): serverless embeddings go to the
// feature-extraction pipeline route (bge-m3's hub task is sentence-similarity), and a TEI endpoint
// that ignores `function_to_apply` still gives moderation independent (sigmoid) scores.
import { describe, expect, it } from 'vitest';
import { embedTask } from '../../src/tasks/embed/task';
import { moderateTask } from '../../src/tasks/moderate/task';
import { probabilities } from '../../src/tasks/moderate/providers';
import { hfCallRecord, hfOrigin } from '../support/api';
import { callProvider } from '../support/provider-contract';

describe('HF serverless pipeline routes', () => {
  it('embeds with BAAI/bge-m3 through /pipeline/feature-extraction (its bare route is sentence-similarity)', async () => {
    const marker = crypto.randomUUID();
    const results = await callProvider(embedTask, 'huggingface', [`${marker} one`, `${marker} two`], {}, { model: 'BAAI/bge-m3' });
    expect(results).toHaveLength(2);
    expect((await hfCallRecord(marker)).paths).toEqual(['/models/BAAI/bge-m3/pipeline/feature-extraction']);
  });

  it('an endpoint gets no pipeline suffix', async () => {
    const marker = crypto.randomUUID();
    await callProvider(embedTask, 'huggingface', [`${marker} one`], {}, { endpoint: { url: `${hfOrigin()}/endpoints/embed/acme`, token: 'hf_x' } });
    expect((await hfCallRecord(marker)).paths).toEqual(['/endpoints/embed/acme']);
  });
});

describe('moderation through a TEI endpoint', () => {
  const text = `You stupid idiot, this is shit ${crypto.randomUUID()}`;

  it('scores labels independently although TEI ignores function_to_apply (raw_scores, then a sigmoid)', async () => {
    const endpoint = { url: `${hfOrigin()}/endpoints/moderate/tei-toxic-bert`, token: 'hf_x' };
    const [result] = await callProvider(moderateTask, 'huggingface', [text], {}, { endpoint });
    expect(result!.flagged).toBe(true);
    const categories = result!.categories.map((entry: { category: string }) => entry.category);
    expect(categories).toEqual(expect.arrayContaining(['toxic', 'obscene', 'insult']));
  });

  it('serverless (the Toolkit applies function_to_apply) flags the same categories', async () => {
    const [result] = await callProvider(moderateTask, 'huggingface', [text], {});
    expect(result!.categories.map((entry: { category: string }) => entry.category)).toEqual(expect.arrayContaining(['toxic', 'obscene', 'insult']));
  });

  it('reads logits as logits and probabilities as probabilities', () => {
    expect(probabilities([{ label: 'a', score: 0.9 }, { label: 'b', score: 0.1 }])).toEqual([{ label: 'a', score: 0.9 }, { label: 'b', score: 0.1 }]);
    const mapped = probabilities([{ label: 'a', score: 2.2 }, { label: 'b', score: -5 }]) as { score: number }[];
    expect(mapped[0]!.score).toBeCloseTo(0.9, 2);
    expect(mapped[1]!.score).toBeLessThan(0.01);
  });
});

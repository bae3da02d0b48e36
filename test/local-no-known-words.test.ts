import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localEmbedder } from '../src/providers/local/semantic';
import { NO_KNOWN_WORDS } from '../src/tasks/known-words';
import { WARNINGS_HEADER } from '../src/routes/openai-embeddings';
import { call, createTenant, json, uniqueText } from './support/api';

// Issue 14: a text the local word vectors know no word of (Chinese, emoji, "a") embeds as the zero
// vector; every local door that embeds says so instead of answering a silent 0.

const noKnownWords = (body: { warnings?: { code: string; message: string }[] }) => body.warnings?.find((warning) => warning.code === NO_KNOWN_WORDS);
const CHINESE = '这个产品太棒了';

describe('no_known_words: the zero vector is named, not served silently (issue 14)', () => {
  it('embed: names the texts that embed as the zero vector, also from the cache, and only those', async () => {
    const tenant = await createTenant({ providerOrder: { embed: ['local'] } });
    const text = [uniqueText('where is my parcel'), uniqueText(CHINESE), `😀 ${crypto.randomUUID().replace(/[a-f-]/g, '')}`];
    const response = await call('/v1/embed', { headers: tenant.auth, body: { text } });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.provider).toBe('local');
    expect(body.results[1].embedding.every((value: number) => value === 0)).toBe(true);
    expect(body.results[0].embedding.some((value: number) => value !== 0)).toBe(true);
    expect(noKnownWords(body)?.message).toContain('text[1], text[2]');
    expect(noKnownWords(body)?.message).not.toContain('text[0]');
    const again = await call('/v1/embed', { headers: tenant.auth, body: { text } });
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect(noKnownWords(await json(again))?.message).toContain('text[1], text[2]');
    const english = await json(await call('/v1/embed', { headers: tenant.auth, body: { text: uniqueText('refund my order please') } }));
    expect(english.warnings).toBeUndefined();
  });

  it('similarity: "😀" against itself is not a silent 0', async () => {
    const tenant = await createTenant({ providerOrder: { similarity: ['local'] } });
    const body = await json(await call('/v1/similarity', { headers: tenant.auth, body: { source: uniqueText('😀'), targets: [uniqueText('😀'), uniqueText('the product is great')] } }));
    expect(body.provider).toBe('local');
    expect(body.results[0].score).toBe(0);
    expect(noKnownWords(body)?.message).toMatch(/know no word of source, targets\[0\] \(/);
    expect(noKnownWords(body)?.message).not.toContain('targets[1]');
    expect(body.warnings.map((warning: { code: string }) => warning.code)).toContain('local_similarity_is_lexical');
  });

  it('rerank: names the query or documents the word vectors cannot read', async () => {
    const tenant = await createTenant({ providerOrder: { rerank: ['local'] } });
    const body = await json(await call('/v1/rerank', { headers: tenant.auth, body: { query: uniqueText('parcel delivery'), documents: ['Your parcel ships tomorrow.', '包裹明天发货。'] } }));
    expect(body.provider).toBe('local');
    expect(noKnownWords(body)?.message).toContain('documents[1]');
    expect(noKnownWords(body)?.message).not.toContain('query');
  });

  it('OpenAI /v1/embeddings: OpenAI\'s body, unchanged, and the code in the x-minnow-warnings header', async () => {
    const tenant = await createTenant();
    const response = await call('/v1/embeddings', { headers: tenant.auth, body: { model: 'minnow/word-vectors-sif-100d', input: [uniqueText(CHINESE)], encoding_format: 'float' } });
    expect(response.status).toBe(200);
    expect(response.headers.get(WARNINGS_HEADER)).toBe(NO_KNOWN_WORDS);
    const body = await json(response);
    expect(Object.keys(body).sort()).toEqual(['data', 'model', 'object', 'usage']);
    expect(body.data[0].embedding.every((value: number) => value === 0)).toBe(true);
    const english = await call('/v1/embeddings', { headers: tenant.auth, body: { model: 'minnow/word-vectors-sif-100d', input: uniqueText('where is my parcel') } });
    expect(english.headers.get(WARNINGS_HEADER)).toBeNull();
  });

  it('the quick check agrees with tokenizing the whole window, on texts made to trip its first look', async () => {
    const embedder = await localEmbedder(env);
    const piece = fc.oneof(
      fc.constantFrom('refund', 'parcel', 'the', "didn't", 'café', 'a', 'I', 'zzqx', '这个产品', '😀', '1234', '—', "o'clock", 'xyzzyplugh'),
      fc.string({ maxLength: 30 }),
      fc.constantFrom('x'.repeat(250), 'q'.repeat(600), ' '.repeat(5)),
    );
    const text = fc.array(fc.tuple(piece, fc.constantFrom(' ', '', '\n', ', ', '  ')), { maxLength: 400 }).map((parts) => parts.map(([word, gap]) => word + gap).join(''));
    fc.assert(fc.property(text, (sample) => embedder.hasKnownWord(sample) === embedder.knownTokens(sample).length > 0), { numRuns: 2_000 });
    // Past the window: a known word only after 512 pieces is not known to the embedder, nor to the check.
    const late = `${'1 '.repeat(600)}refund`;
    expect([embedder.hasKnownWord(late), embedder.knownTokens(late).length]).toEqual([false, 0]);
  });
});

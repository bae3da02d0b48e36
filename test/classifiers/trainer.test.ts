import { describe, expect, it } from 'vitest';
import { DENSE_WEIGHT, featurize, tokenize } from '../../src/lib/text-classifier/features';
import { deserializeModel, predict, serializeModel } from '../../src/lib/text-classifier/model';
import { trainClassifier } from '../../src/lib/text-classifier/train';
import { SUPPORT_EXAMPLES } from './support';

describe('the text-classifier trainer (src/lib/text-classifier)', () => {
  it('featurises a text into a unit-length sparse vector, accents and case folded', () => {
    const vector = featurize('Résumé REFUND refunded');
    const norm = Math.sqrt(vector.values.reduce((sum, value) => sum + value * value, 0));
    expect(norm).toBeCloseTo(1, 5);
    expect([...vector.indices]).toEqual([...vector.indices].sort((a, b) => a - b));
    expect(tokenize('Résumé REFUND')).toEqual(['resume', 'refund']);
    expect(featurize('Resume refund refunded')).toEqual(vector);
    expect(featurize('!!! ???').indices).toHaveLength(0);
  });

  it('trains the same model from the same examples, and scores are probabilities over every label', () => {
    const first = trainClassifier(SUPPORT_EXAMPLES);
    const second = trainClassifier([...SUPPORT_EXAMPLES].reverse());
    expect(first.model.labels).toEqual(['account', 'billing', 'shipping']);
    const probabilities = predict(first.model, 'my parcel has not arrived');
    expect(probabilities.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 6);
    expect(first.model.labels[probabilities.indexOf(Math.max(...probabilities))]).toBe('shipping');
    // Order of the examples changes the SGD order only through the seeded shuffle of positions,
    // so the answer (not the last digit) is the same.
    const again = predict(second.model, 'my parcel has not arrived');
    expect(second.model.labels[again.indexOf(Math.max(...again))]).toBe('shipping');
    expect(predict(trainClassifier(SUPPORT_EXAMPLES).model, 'my parcel has not arrived')).toEqual(probabilities);
  });

  it('never claims more certainty than its cross-validation showed (smoothing), and reports CV metrics', () => {
    const { model, metrics } = trainClassifier(SUPPORT_EXAMPLES);
    expect(model.smoothing).toBeCloseTo(1 / (SUPPORT_EXAMPLES.length + 2), 9);
    const ceiling = 1 - model.smoothing + model.smoothing / model.labels.length;
    for (const text of ['I was charged twice for my subscription this month', 'My account is locked after too many attempts']) {
      expect(Math.max(...predict(model, text))).toBeLessThanOrEqual(ceiling + 1e-9);
    }
    expect(metrics.folds).toBe(5);
    const recalls = Object.values(metrics.per_label).map((label) => label.recall);
    // Accuracy is the examples-weighted mean recall (every label has 6 examples here).
    expect(metrics.cross_validated_accuracy).toBeCloseTo(recalls.reduce((sum, r) => sum + r, 0) / recalls.length, 3);
  });

  it('stores weights compactly (int16) and answers the same after the round trip', () => {
    const { model } = trainClassifier(SUPPORT_EXAMPLES);
    const stored = serializeModel(model);
    const restored = deserializeModel(JSON.parse(JSON.stringify(stored)));
    expect(restored.labels).toEqual(model.labels);
    expect(atob(stored.weights).length).toBe(model.weights.length * 2);
    for (const text of ['where is my parcel', 'reset my password please', 'extra fee on the invoice', 'zzz']) {
      const [before, after] = [predict(model, text), predict(restored, text)];
      after.forEach((p, l) => expect(Math.abs(p - before[l]!)).toBeLessThan(1e-3));
    }
  });

  it('uses a dense sentence vector when trained with one, and ignores one it was not trained with', () => {
    const dense = SUPPORT_EXAMPLES.map((example) => Float32Array.from({ length: 4 }, (_, d) => (example.label === 'billing' ? 1 : 0) + d * 0.01));
    const { model } = trainClassifier(SUPPORT_EXAMPLES, dense);
    expect(model.denseDims).toBe(4);
    const lexical = trainClassifier(SUPPORT_EXAMPLES).model;
    expect(predict(lexical, 'where is my parcel', Float32Array.from([1, 0, 0, 0]))).toEqual(predict(lexical, 'where is my parcel'));
    // A text with no words it knows leans to billing when its dense vector says billing.
    const leaning = predict(model, 'zzz', Float32Array.from([1, 0.01, 0.02, 0.03]));
    expect(model.labels[leaning.indexOf(Math.max(...leaning))]).toBe('billing');
  });

  it('scores a stored model with the dense length it was trained with (1 for models stored before it was recorded)', () => {
    const dense = SUPPORT_EXAMPLES.map((example) => Float32Array.from({ length: 4 }, (_, d) => (example.label === 'shipping' ? 1 : 0) + d * 0.01));
    const { model } = trainClassifier(SUPPORT_EXAMPLES, dense);
    expect(model.denseWeight).toBe(DENSE_WEIGHT);
    const stored = serializeModel(model);
    expect(stored.dense_weight).toBe(DENSE_WEIGHT);
    const { dense_weight: _recorded, ...older } = stored;
    const vector = Float32Array.from([1, 0.01, 0.02, 0.03]);
    // The older form is read as trained with 1: its logits are those of the dense part at length 1.
    expect(deserializeModel(older).denseWeight).toBe(1);
    expect(predict(deserializeModel(older), 'zzz', vector)).not.toEqual(predict(deserializeModel(stored), 'zzz', vector));
    // A text with no words is its dense part alone, at the length asked for.
    expect(Math.hypot(...featurize('!!!', vector, 1).values)).toBeCloseTo(1, 5);
    expect(Math.hypot(...featurize('!!!', vector).values)).toBeCloseTo(DENSE_WEIGHT, 5);
  });

  it('answers with the average of its cross-validation fold models, the models its calibration was fitted to', () => {
    const { model, metrics } = trainClassifier(SUPPORT_EXAMPLES);
    // Every example is in k - 1 folds' training sets, so the average has every bucket of the set.
    const buckets = new Set(SUPPORT_EXAMPLES.flatMap(({ text }) => [...featurize(text).indices]));
    expect([...model.buckets]).toEqual([...buckets].sort((a, b) => a - b));
    expect(metrics.folds).toBe(5);
    expect(model.temperature).toBeGreaterThan(0);
    for (const [text, label] of [['my parcel has not arrived', 'shipping'], ['I cannot log in to my account', 'account'], ['charged twice on my card', 'billing']] as const) {
      const p = predict(model, text);
      expect(model.labels[p.indexOf(Math.max(...p))]).toBe(label);
    }
  });
});

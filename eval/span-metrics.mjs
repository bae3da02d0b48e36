// Span metrics for a hard set whose answers are typed spans (entities): a task file that exports
// spans(envelope, expected) → { predicted, expected } gets, per split, precision and recall per
// type over exact spans (same type, start and end) and the confidently wrong share: returned spans
// with score ≥ CONFIDENT that match no expected span (wrong type or wrong boundaries).
export const CONFIDENT = 0.8;

const key = (span) => `${span.type}\u0000${span.start}\u0000${span.end}`;
const percent = (part, whole) => (whole === 0 ? '—' : `${((part / whole) * 100).toFixed(1)}%`);

/** Matches one case's spans exactly, as multisets: which returned spans are right, which expected were missed. */
export function matchSpans({ predicted, expected }) {
  const open = expected.map(key);
  const right = [];
  const wrong = [];
  for (const span of predicted) {
    const at = open.indexOf(key(span));
    if (at === -1) wrong.push(span);
    else {
      open.splice(at, 1);
      right.push(span);
    }
  }
  const missed = expected.filter((span) => open.includes(key(span)));
  return { right, wrong, missed };
}

export function printSpanMetrics(outcomes, spec) {
  for (const split of ['dev', 'test']) {
    const rows = outcomes.filter((o) => o.split === split);
    if (rows.length === 0) continue;
    const perType = new Map();
    const tally = (type) => perType.get(type) ?? perType.set(type, { expected: 0, returned: 0, right: 0 }).get(type);
    let returned = 0;
    let confident = 0;
    let confidentWrong = 0;
    for (const o of rows) {
      const pair = spec.spans(o.envelope, o.testCase.expected);
      const { right, wrong } = matchSpans(pair);
      for (const span of pair.expected) tally(span.type).expected++;
      for (const span of pair.predicted) tally(span.type).returned++;
      for (const span of right) tally(span.type).right++;
      returned += pair.predicted.length;
      confident += pair.predicted.filter((span) => span.score >= CONFIDENT).length;
      confidentWrong += wrong.filter((span) => span.score >= CONFIDENT).length;
    }
    console.log(`\nSpans (${split}): exact type + boundaries; precision = right / returned, recall = right / expected`);
    console.log('| type | expected | returned | right | precision | recall |');
    console.log('|---|---:|---:|---:|---:|---:|');
    const all = { expected: 0, returned: 0, right: 0 };
    for (const [type, t] of [...perType].sort(([a], [b]) => a.localeCompare(b))) {
      console.log(`| ${type} | ${t.expected} | ${t.returned} | ${t.right} | ${percent(t.right, t.returned)} | ${percent(t.right, t.expected)} |`);
      for (const field of Object.keys(all)) all[field] += t[field];
    }
    console.log(`| **all** | ${all.expected} | ${all.returned} | ${all.right} | ${percent(all.right, all.returned)} | ${percent(all.right, all.expected)} |`);
    console.log(`Confidently wrong (${split}): ${confidentWrong} of ${confident} returned spans with score ≥ ${CONFIDENT} match no expected span (${percent(confidentWrong, confident)}; ${percent(confidentWrong, returned)} of all ${returned} returned).`);
  }
}

/** One miss, span by span: what was missed and what was returned wrongly, with scores. */
export function describeSpanMiss(o, spec) {
  const { wrong, missed } = matchSpans(spec.spans(o.envelope, o.testCase.expected));
  const show = (s) => `${s.type}:${JSON.stringify(s.text)}${s.score === undefined ? '' : `@${s.score.toFixed(2)}`}`;
  return `miss ${o.split} #${o.index} missed=[${missed.map(show).join(', ')}] extra=[${wrong.map(show).join(', ')}] :: ${JSON.stringify(o.testCase.expected.text)}`;
}

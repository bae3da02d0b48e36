/**
 * Browser code (a string: it runs in the page, not in the Worker) that draws one chart as inline
 * SVG. Hand-rolled instead of a chart library: ~4 KB instead of 100+, no CDN, nothing to allow in
 * the CSP. Every node is built with createElement/textContent, never from HTML strings, so the page
 * can run under `require-trusted-types-for 'script'`.
 *
 * Accessibility: each chart is `role="img"` labelled by its `<title>` and a `<desc>` that states the
 * figures in words; each bar and point has its own `<title>` (a tooltip, and readable by screen
 * readers); axes have titles; series differ by dash and marker shape, not only colour.
 *
 * Written without template literals: this whole file is one TypeScript template literal.
 */
export const CHARTS_SCRIPT = String.raw`
const SVG_NS = 'http://www.w3.org/2000/svg';
// Drawn at about its viewBox size in a two-column grid, so 12px text stays about 12px on screen.
const W = 460, H = 240, M = { top: 12, right: 12, bottom: 46 };

function build(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
  for (const child of [].concat(children === undefined ? [] : children)) node.append(child);
  return node;
}
// Strings passed as children become text nodes (Node.append), so data can never become markup.
const el = (tag, attrs, children) => build(document.createElement(tag), attrs, children);
const svg = (tag, attrs, children) => build(document.createElementNS(SVG_NS, tag), attrs, children);

/** Round tick values covering [lo, hi]; whole numbers only when the quantity is a count. */
function niceTicks(lo, hi, count, integer) {
  const raw = (hi - lo) / count;
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  if (integer) step = Math.max(1, Math.ceil(step));
  const ticks = [];
  for (let v = Math.floor(lo / step) * step; v < hi + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const shortDay = (day) => new Date(day + 'T00:00:00Z').toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** A small legend sample: the series' line with its marker, as drawn in the chart. */
function legendSample(index) {
  const sample = svg('svg', { viewBox: '0 0 30 12', 'aria-hidden': 'true', focusable: 'false' });
  sample.append(svg('line', { x1: 0, y1: 6, x2: 30, y2: 6, class: 'series-' + index }), marker(index, 15, 6));
  return sample;
}

/** Circles for the first series, squares for the second: shape tells them apart without colour. */
function marker(index, cx, cy) {
  return index === 0
    ? svg('circle', { cx, cy, r: 4, class: 'marker series-0' })
    : svg('rect', { x: cx - 4, y: cy - 4, width: 8, height: 8, class: 'marker series-1' });
}

/**
 * spec: { id, title, description, yLabel, format, kind: 'bar' | 'line', integer?, yMax?,
 *         days: ['2026-11-01', …], series: [{ name, values: [number | null per day] }] }
 * Returns a <figure> holding the caption, the SVG and (for several series) a legend.
 */
function chart(spec) {
  const values = spec.series.flatMap((s) => s.values).filter((v) => v !== null);
  let lo = Math.min(0, ...values), hi = Math.max(0, spec.yMax || 0, ...values);
  if (hi === lo) hi = lo + 1; // no data yet: still draw a readable empty axis
  const ticks = niceTicks(lo, hi, 4, spec.integer);
  lo = ticks[0]; hi = ticks[ticks.length - 1];
  const tickLabels = ticks.map(spec.format);
  // Room for the longest tick label ("$0.0000015" is long) plus the rotated axis title.
  const left = 30 + 7 * Math.max(...tickLabels.map((label) => label.length));
  const pw = W - left - M.right, ph = H - M.top - M.bottom, band = pw / spec.days.length;
  const x = (i) => left + band * (i + 0.5);
  const y = (v) => M.top + ph - ((v - lo) / (hi - lo)) * ph;

  const root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, class: 'chart', role: 'img', 'aria-labelledby': spec.id + '-title ' + spec.id + '-desc', id: spec.id });
  root.append(svg('title', { id: spec.id + '-title' }, spec.title), svg('desc', { id: spec.id + '-desc' }, spec.description));

  ticks.forEach((t, i) => {
    root.append(
      svg('line', { x1: left, x2: W - M.right, y1: y(t), y2: y(t), class: t === 0 ? 'zero' : 'grid' }),
      svg('text', { x: left - 6, y: y(t) + 4, 'text-anchor': 'end' }, tickLabels[i]),
    );
  });
  // At most 6 day labels, counted back from the last day so today always has one. Each is centred
  // on its day but kept inside the plot, and skipped if it would touch the label to its right.
  const every = Math.ceil(spec.days.length / 6);
  let free = W - M.right;
  for (let i = spec.days.length - 1; i >= 0; i -= every) {
    const text = shortDay(spec.days[i]), width = 7 * text.length;
    const right = Math.min(x(i) + width / 2, W - M.right);
    if (right > free) continue;
    root.append(svg('text', { x: right, y: H - M.bottom + 16, 'text-anchor': 'end' }, text));
    free = right - width - 8;
  }
  root.append(
    svg('text', { x: left + pw / 2, y: H - 8, 'text-anchor': 'middle', class: 'axis-title' }, 'Day (UTC)'),
    svg('text', { x: -(M.top + ph / 2), y: 14, transform: 'rotate(-90)', 'text-anchor': 'middle', class: 'axis-title' }, spec.yLabel),
  );

  spec.series.forEach((series, s) => {
    const label = (i, v) => spec.days[i] + (spec.series.length > 1 ? ', ' + series.name : '') + ': ' + (v === null ? 'no requests' : spec.format(v));
    if (spec.kind === 'bar') {
      const width = Math.max(1, band * 0.7);
      series.values.forEach((v, i) => {
        if (!v) return; // zero or no data: nothing to draw (the table lists every day with usage)
        const top = Math.min(y(v), y(0)), height = Math.max(1, Math.abs(y(v) - y(0)));
        root.append(svg('rect', { x: x(i) - width / 2, y: top, width, height, class: v < 0 ? 'bar negative' : 'bar' }, svg('title', {}, label(i, v))));
      });
      return;
    }
    // Lines break across days without requests rather than inventing a value for them.
    let d = '', pen = 'M';
    series.values.forEach((v, i) => {
      if (v === null) { pen = 'M'; return; }
      d += pen + x(i).toFixed(1) + ' ' + y(v).toFixed(1) + ' ';
      pen = 'L';
    });
    root.append(svg('path', { d: d.trim(), class: 'series-' + s }));
    series.values.forEach((v, i) => {
      if (v !== null) root.append(build(marker(s, x(i), y(v)), {}, svg('title', {}, label(i, v))));
    });
  });

  const figure = el('figure', { 'data-chart': spec.id }, [el('figcaption', {}, spec.title), root]);
  if (spec.series.length > 1) {
    figure.append(el('ul', { class: 'legend' }, spec.series.map((series, s) => el('li', {}, [legendSample(s), series.name + (s === 0 ? ' (solid, circles)' : ' (dashed, squares)')]))));
  }
  return figure;
}
`;

/**
 * Browser code (a string) for the dashboard: asks for the key, calls GET /v1/usage, renders totals,
 * charts (CHARTS_SCRIPT's `chart`) and a table, and shows API errors.
 *
 * The key: a navigation cannot carry an Authorization header, so the page asks for the key and
 * sends it itself. It lives in sessionStorage (this tab only, gone when the tab closes) and travels
 * only in the Authorization header of same-origin fetches — never in the URL (it would end up in
 * history and logs), never in a cookie (a cookie would ride along on every request, including
 * cross-site ones). The input has no `name`, so even a form submission could not carry it.
 *
 * Written without template literals: this whole file is one TypeScript template literal.
 */
export const APP_SCRIPT = String.raw`
const KEY_STORE = 'minnow.dashboard.key';
const DAY_MS = 86400000;
const $ = (id) => document.getElementById(id);

const count = new Intl.NumberFormat('en-US');
const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const cents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });
// Costs are often fractions of a cent: three significant digits say more than "$0.00".
const fractions = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumSignificantDigits: 3 });
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const millis = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const fmt = {
  count: (v) => count.format(v),
  usd: (v) => (v === 0 ? '$0' : (Math.abs(v) >= 1 ? dollars : Math.abs(v) >= 0.01 ? cents : fractions).format(v)),
  ratio: (v) => (v === null ? '—' : percent.format(v)),
  ms: (v) => (v === null ? '—' : millis.format(v) + ' ms'),
};

const isoDay = (t) => new Date(t).toISOString().slice(0, 10);

/** The last n UTC days, today included: from today−(n−1) 00:00Z, to tomorrow 00:00Z (exclusive). */
function rangeOf(n) {
  const now = new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const days = [];
  for (let i = n - 1; i >= 0; i--) days.push(isoDay(today - i * DAY_MS));
  return { from: days[0], to: isoDay(today + DAY_MS), days };
}

const HINTS = {
  401: 'Check the key: it may be mistyped, revoked, or from another deployment. Enter it again.',
  403: 'The usage dashboard needs a secret key (sk_…) of the tenant; publishable keys (pk_…) only run tasks.',
  429: 'Too many requests for this tenant right now.',
};

function showError(title, message, hint, requestId) {
  const box = $('error');
  box.replaceChildren(el('p', {}, el('strong', {}, title)), el('p', { 'data-error-message': '' }, message));
  if (hint) box.append(el('p', { class: 'hint' }, hint));
  if (requestId) box.append(el('p', { class: 'hint' }, ['Request id: ', el('code', {}, requestId)]));
  box.hidden = false;
}

function showKeyForm() {
  $('key-form').hidden = false;
  $('session').hidden = true;
  $('report').hidden = true;
  $('key').value = '';
  $('key').focus();
}

function renderTotals(totals, range) {
  const items = [
    ['requests', 'Requests', fmt.count(totals.requests)],
    ['items', 'Items', fmt.count(totals.items)],
    ['cost_usd', 'Cost', fmt.usd(totals.cost_usd)],
    ['baseline_cost_usd', 'Baseline cost', fmt.usd(totals.baseline_cost_usd)],
    ['saved_usd', 'Saved', fmt.usd(totals.saved_usd)],
    ['cache_hit_ratio', 'Cache hit ratio', fmt.ratio(totals.cache_hit_ratio)],
    ['latency_p50_ms', 'Latency p50', fmt.ms(totals.latency_p50_ms)],
    ['latency_p99_ms', 'Latency p99', fmt.ms(totals.latency_p99_ms)],
  ];
  $('totals').replaceChildren(...items.map(([field, name, text]) => el('div', {}, [el('dt', {}, name), el('dd', { 'data-total': field }, text)])));
  $('range-label').textContent = range.days[0] + ' to ' + range.days[range.days.length - 1] + ' (UTC)';
}

function renderCharts(rows, range) {
  // The API lists only days with usage; the charts need every day of the range.
  const byDay = new Map(rows.map((row) => [row.group, row]));
  const per = (field, none) => range.days.map((day) => (byDay.has(day) ? byDay.get(day)[field] : none));
  const sum = (field) => rows.reduce((total, row) => total + row[field], 0);
  const span = ' per UTC day, ' + range.days[0] + ' to ' + range.days[range.days.length - 1] + '. ';
  const active = rows.length + ' of ' + range.days.length + ' days had requests.';
  $('charts').replaceChildren(
    chart({ id: 'chart-requests', kind: 'bar', integer: true, title: 'Requests', yLabel: 'Requests', format: fmt.count, days: range.days,
      description: 'Requests' + span + 'Total ' + fmt.count(sum('requests')) + '. ' + active, series: [{ name: 'Requests', values: per('requests', 0) }] }),
    chart({ id: 'chart-cost', kind: 'bar', title: 'Cost (USD)', yLabel: 'Cost (USD)', format: fmt.usd, days: range.days,
      description: 'Cost in US dollars' + span + 'Total ' + fmt.usd(sum('cost_usd')) + '. ' + active, series: [{ name: 'Cost', values: per('cost_usd', 0) }] }),
    chart({ id: 'chart-saved', kind: 'bar', title: 'Savings (USD)', yLabel: 'Saved (USD)', format: fmt.usd, days: range.days,
      description: 'Savings in US dollars (what the default neural model would have cost, minus the actual cost)' + span + 'Total ' + fmt.usd(sum('saved_usd')) + '. Bars below zero are days a dearer model was chosen.',
      series: [{ name: 'Saved', values: per('saved_usd', 0) }] }),
    chart({ id: 'chart-cache', kind: 'line', yMax: 1, title: 'Cache hit ratio', yLabel: 'Items from cache', format: fmt.ratio, days: range.days,
      description: 'Share of items answered from the cache' + span + 'Days without requests are gaps. ' + active, series: [{ name: 'Cache hit ratio', values: per('cache_hit_ratio', null) }] }),
    chart({ id: 'chart-latency', kind: 'line', title: 'Latency (ms)', yLabel: 'Latency (ms)', format: fmt.ms, days: range.days,
      description: 'Request latency percentiles' + span + 'p50 is a solid line with circles, p99 a dashed line with squares. ' + active,
      series: [{ name: 'p50', values: per('latency_p50_ms', null) }, { name: 'p99', values: per('latency_p99_ms', null) }] }),
  );
}

function renderTable(rows) {
  const columns = [['group', 'Day (UTC)', String], ['requests', 'Requests', fmt.count], ['items', 'Items', fmt.count], ['cached_items', 'Cached items', fmt.count],
    ['cache_hit_ratio', 'Hit ratio', fmt.ratio], ['cost_usd', 'Cost', fmt.usd], ['baseline_cost_usd', 'Baseline', fmt.usd], ['saved_usd', 'Saved', fmt.usd],
    ['latency_p50_ms', 'p50', fmt.ms], ['latency_p99_ms', 'p99', fmt.ms]];
  $('table').replaceChildren(
    el('caption', {}, rows.length ? 'Days with requests, oldest first' : 'No requests in this range'),
    el('thead', {}, el('tr', {}, columns.map(([, name]) => el('th', { scope: 'col' }, name)))),
    el('tbody', {}, rows.map((row) => el('tr', {}, columns.map(([field, , format], c) => el(c ? 'td' : 'th', c ? {} : { scope: 'row' }, format(row[field])))))),
  );
}

let latest = 0; // a slow answer for an older range must not overwrite a newer one

async function load() {
  const key = sessionStorage.getItem(KEY_STORE);
  if (!key) return showKeyForm();
  $('key-form').hidden = true;
  $('session').hidden = false;
  $('key-prefix').textContent = key.slice(0, 11) + '…';
  const range = rangeOf(Number($('range').value));
  const ticket = ++latest;
  $('status').textContent = 'Loading…';
  let response, body;
  try {
    response = await fetch('/v1/usage?' + new URLSearchParams({ from: range.from, to: range.to, group_by: 'day' }), {
      headers: { Authorization: 'Bearer ' + key }, cache: 'no-store', credentials: 'omit',
    });
    body = await response.json().catch(() => null);
  } catch (error) {
    if (ticket !== latest) return;
    $('status').textContent = '';
    return showError('Could not reach minnow', String(error && error.message || error), 'Check your connection and press Refresh.');
  }
  if (ticket !== latest) return;
  $('status').textContent = '';
  if (!response.ok) {
    const error = (body && body.error) || {};
    let hint = HINTS[response.status] || '';
    const retry = response.headers.get('retry-after');
    if (response.status === 429 && retry) hint += ' Try again in ' + retry + ' s.';
    if (response.status === 401 || response.status === 403) {
      sessionStorage.removeItem(KEY_STORE); // this key will not work: ask for another
      showKeyForm();
    }
    return showError('Error ' + response.status + (error.code ? ' · ' + error.code : ''), error.message || 'The usage API answered ' + response.status + '.', hint, error.request_id);
  }
  $('error').hidden = true;
  renderTotals(body.totals, range);
  renderCharts(body.data, range);
  renderTable(body.data);
  $('report').hidden = false;
  $('status').textContent = 'Updated ' + new Date().toISOString().slice(11, 19) + ' UTC.';
}

$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const key = $('key').value.trim();
  $('key').value = '';
  if (!key) return showError('No key entered', 'Paste a secret key (sk_…) of your tenant.');
  sessionStorage.setItem(KEY_STORE, key);
  load();
});
$('range').addEventListener('change', load);
$('refresh').addEventListener('click', load);
$('forget').addEventListener('click', () => {
  sessionStorage.removeItem(KEY_STORE);
  $('error').hidden = true;
  showKeyForm();
});
load();
`;

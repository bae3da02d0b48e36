/**
 * Browser code (a string) for the playground: a module script that imports this Worker's own
 * /sdk.js and calls `client[task](body)`, exactly what a site embedding minnow would do. The key
 * is a publishable one (npm start seeds a demo key for localhost and puts it in the page); one
 * typed in is kept in this tab's sessionStorage only. DOM built from text nodes only.
 *
 * Written without template literals: this whole file is one TypeScript template literal.
 */
export const PLAYGROUND_SCRIPT = String.raw`
import { createClient, MinnowError } from '/sdk.js';

const KEY_STORE = 'minnow.playground.key';
const $ = (id) => document.getElementById(id);
const examples = JSON.parse($('examples').textContent);
const seededKey = document.querySelector('meta[name="minnow-playground-key"]').content;

const keyInput = $('key');
keyInput.value = sessionStorage.getItem(KEY_STORE) || seededKey;
$('key-source').textContent = seededKey && keyInput.value === seededKey
  ? 'The local demo key (publishable, allowed for this origin), seeded by npm start.'
  : 'Paste a publishable key (pk_…) whose origins include ' + location.origin + '. It stays in this tab.';

const taskSelect = $('task');
for (const task of Object.keys(examples)) taskSelect.append(new Option(task, task));

function showExample() {
  $('body').value = JSON.stringify(examples[taskSelect.value], null, 2);
  renderSnippet();
}

function renderSnippet() {
  let body;
  try { body = JSON.stringify(JSON.parse($('body').value)); } catch { body = '{ … }'; }
  $('snippet').textContent =
    "import { createClient } from '" + location.origin + "/sdk.js';\n" +
    "const minnow = createClient({ key: 'pk_…' });\n" +
    'const answer = await minnow.' + taskSelect.value + '(' + body + ');';
}

function showError(title, lines) {
  const box = $('error');
  box.replaceChildren();
  const heading = document.createElement('strong');
  heading.textContent = title;
  box.append(heading);
  for (const line of lines) {
    const p = document.createElement('p');
    p.textContent = line;
    box.append(p);
  }
  box.hidden = false;
}

async function run(event) {
  event.preventDefault();
  $('error').hidden = true;
  $('result').textContent = '';
  let body;
  try {
    body = JSON.parse($('body').value);
  } catch (error) {
    showError('The request body is not valid JSON', [error.message]);
    return;
  }
  const key = keyInput.value.trim();
  if (key !== seededKey) sessionStorage.setItem(KEY_STORE, key);
  $('status').textContent = 'Running ' + taskSelect.value + '…';
  $('run').disabled = true;
  const started = performance.now();
  try {
    const client = createClient({ key, baseUrl: location.origin, maxRetries: 0 });
    const answer = await client[taskSelect.value](body);
    const ms = Math.round(performance.now() - started);
    $('status').textContent = taskSelect.value + ': ' + answer.provider + ' / ' + answer.model + ', ' + (answer.cached ? 'from the cache' : 'computed') + ', $' + answer.usage.cost_usd + ', ' + ms + ' ms';
    $('result').textContent = JSON.stringify(answer, null, 2);
  } catch (error) {
    $('status').textContent = '';
    if (error instanceof MinnowError) {
      showError(error.status + ' ' + error.code, [error.message, error.requestId ? 'Request id: ' + error.requestId : '']);
    } else {
      showError('Request failed', [String(error && error.message || error)]);
    }
  } finally {
    $('run').disabled = false;
  }
}

taskSelect.addEventListener('change', showExample);
$('body').addEventListener('input', renderSnippet);
$('form').addEventListener('submit', run);
$('forget').hidden = !seededKey;
$('forget').addEventListener('click', () => {
  sessionStorage.removeItem(KEY_STORE);
  keyInput.value = seededKey;
});
showExample();
$('form').hidden = false;
`;

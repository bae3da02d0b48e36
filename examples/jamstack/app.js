// The site's only script. It loads minnow's SDK and components straight from the minnow Worker
// (as ES modules), gives the components the key, and wires the review form to `sentiment`.
import { MINNOW_BOT, MINNOW_KB, MINNOW_KEY, MINNOW_URL } from './config.js';

const $ = (id) => document.getElementById(id);

// Components read their attributes when used, so setting them before loading is enough. (With
// fixed values you would write them in the HTML: <minnow-chat bot="support" key="pk_…">.)
for (const element of document.querySelectorAll('minnow-chat, minnow-search')) {
  element.setAttribute('key', MINNOW_KEY);
  element.setAttribute('base-url', MINNOW_URL);
}
document.querySelector('minnow-search').setAttribute('kb', MINNOW_KB);
document.querySelector('minnow-chat').setAttribute('bot', MINNOW_BOT);

function showError(error) {
  const box = $('review-error');
  box.textContent = error.code
    ? `${error.code}: ${error.message}${error.requestId ? ` (request ${error.requestId})` : ''}`
    : `Could not reach minnow: ${error.message}`;
  box.hidden = false;
}

try {
  const [{ createClient }] = await Promise.all([import(`${MINNOW_URL}/sdk.js`), import(`${MINNOW_URL}/components.js`)]);
  const minnow = createClient({ key: MINNOW_KEY, baseUrl: MINNOW_URL });

  $('review-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('review-error').hidden = true;
    $('review-result').textContent = 'Checking…';
    try {
      const { results } = await minnow.sentiment({ text: $('review').value });
      const [{ label, score }] = results;
      $('review-result').textContent = `Sentiment: ${label} (${Math.round(score * 100)}% confident)`;
      document.body.dataset.sentiment = label;
    } catch (error) {
      $('review-result').textContent = '';
      showError(error);
    }
  });
  document.body.dataset.ready = 'true';
} catch (error) {
  showError(error);
}

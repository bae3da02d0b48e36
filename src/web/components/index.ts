// The web components, served as /components.js (built by scripts/build-web.mjs). They import the
// SDK from ./sdk.js next to them, so a page that uses both downloads it once.
import { MinnowChat } from './chat';
import { MinnowSearch } from './search';

if (!customElements.get('minnow-chat')) customElements.define('minnow-chat', MinnowChat);
if (!customElements.get('minnow-search')) customElements.define('minnow-search', MinnowSearch);

export { MinnowChat, MinnowSearch };

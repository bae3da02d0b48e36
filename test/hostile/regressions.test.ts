import { describe, expect, it } from 'vitest';
import { wordTokens } from '../../src/providers/local/semantic/tokenize';
import { call } from '../support/api';
import { fixture } from './support/fixture';
import { expectWellFormed } from './support/well-formed';

// One example per bug the hostile-input properties found, so each stays fixed whatever the seed.
describe('hostile-input regressions', () => {
  it('a text containing "constructor" or "__proto__" is embedded locally (was a 500: prototype lookup in the contraction table)', async () => {
    expect(wordTokens('constructor __proto__ toString can\'t')).toEqual(['constructor', 'proto', 'tostring', 'can', 'not']);
    const { tenant, ids } = await fixture();
    const added = await call(`/v1/kb/${ids.kb}/documents`, { headers: tenant.auth, body: { title: 'constructor', text: 'The constructor of the hasOwnProperty toString valueOf' } });
    expect(added.status).toBe(201);
    const search = await call(`/v1/kb/${ids.kb}/search`, { headers: tenant.auth, body: { query: 'constructor' } });
    await expectWellFormed(search, 'search "constructor"');
    expect(search.status).toBe(200);
  });
});

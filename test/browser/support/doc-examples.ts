// The shell examples of README.md and docs/*.md, as test/browser/docs-examples.test.ts runs them.
//
// Every ```sh / ```bash block is one of:
// - an example that runs against `npm start`: it calls curl on localhost:8787 (nothing to mark);
// - an example that cannot run here, marked on the line before its fence with
//   `<!-- example: not run: <why> -->` (a real deployment, a 118 MB download, the test suite itself);
//   the test lists it as skipped, with that reason.
// A ```json block marked `<!-- example: output -->` is the sample output of the example just before
// it: the test compares it with what the example prints.
import { readdirSync, readFileSync } from 'node:fs';

export interface DocExample {
  /** `docs/webhooks.md:31`: where the fence opens. */
  where: string;
  script: string;
  /** Why it does not run here; absent for an example that runs. */
  notRun?: string;
  /** The sample output shown after it (a marked ```json block), parsed. */
  output?: unknown;
}

export interface DocFindings {
  examples: DocExample[];
  /** Blocks that break the rules above, with what is wrong. */
  problems: string[];
}

const SHELL = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);
const FENCE = /^```(\S*)\n([\s\S]*?)^```\s*$/gm;
const MARKER = /<!--\s*example:\s*([\s\S]*?)\s*-->\s*$/;

export const DOC_FILES = (root = '.') => ['README.md', ...readdirSync(`${root}/docs`).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)];

/** The marker on the last non-blank line before `offset`, if any. */
function markerBefore(text: string, offset: number): string | undefined {
  const before = text.slice(0, offset).replace(/\s+$/, '');
  const lastLine = before.slice(before.lastIndexOf('\n') + 1);
  return MARKER.exec(lastLine)?.[1];
}

export function findExamples(root = '.'): DocFindings {
  const examples: DocExample[] = [];
  const problems: string[] = [];
  for (const file of DOC_FILES(root)) {
    const text = readFileSync(`${root}/${file}`, 'utf8');
    let previous: DocExample | undefined;
    for (const match of text.matchAll(FENCE)) {
      const [, lang = '', body = ''] = match;
      const where = `${file}:${text.slice(0, match.index).split('\n').length}`;
      const marker = markerBefore(text, match.index!);
      if (SHELL.has(lang)) {
        const example: DocExample = { where, script: body };
        const notRun = marker && /^not run:\s*(.+)$/s.exec(marker)?.[1];
        if (notRun) example.notRun = notRun.replace(/\s+/g, ' ');
        else if (marker) problems.push(`${where}: unknown marker "${marker}" (use "not run: <why>")`);
        else if (!/\bcurl\b/.test(body) || !body.includes('localhost:8787')) {
          problems.push(`${where}: a shell example that does not call curl on localhost:8787 (npm start) must say why it is not run: <!-- example: not run: <why> -->`);
        }
        examples.push(example);
        previous = example;
        continue;
      }
      if (marker === 'output') {
        if (!previous || previous.notRun) problems.push(`${where}: an output block must follow an example that runs`);
        else if (lang !== 'json') problems.push(`${where}: output blocks are json`);
        else {
          try {
            previous.output = JSON.parse(body);
          } catch (error) {
            problems.push(`${where}: the sample output is not JSON: ${(error as Error).message}`);
          }
        }
      } else if (/^\s*curl\s/m.test(body)) {
        problems.push(`${where}: a curl command in a \`\`\`${lang || '(unlabelled)'} block: label it sh so it is tested`);
      }
      previous = undefined;
    }
  }
  return { examples, problems };
}

/** Generated per call: in a sample output these stand for any value of the same form. */
const GENERATED: [RegExp, (value: string) => RegExp][] = [
  [/^(req|kb|doc|whk|key|conv|msg|job|dlv)_[0-9A-Za-z]{8,}$/, (value) => new RegExp(`^${value.split('_')[0]}_[0-9A-Za-z]{8,}$`)],
  [/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, () => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/],
  [/^whsec_[A-Za-z0-9+/=]+$/, () => /^whsec_[A-Za-z0-9+/=]+$/],
];

/** The sample with generated values (ids, timestamps, secrets) replaced by patterns of their form. */
export function patternOf(sample: unknown, match: (pattern: RegExp) => unknown): unknown {
  if (typeof sample === 'string') {
    const generated = GENERATED.find(([shape]) => shape.test(sample));
    return generated ? match(generated[1](sample)) : sample;
  }
  if (Array.isArray(sample)) return sample.map((item) => patternOf(item, match));
  if (sample && typeof sample === 'object') return Object.fromEntries(Object.entries(sample).map(([key, value]) => [key, patternOf(value, match)]));
  return sample;
}

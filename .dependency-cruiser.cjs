/**
 * The floors of src/, bottom to top: a folder imports only from its own floor's folder and the
 * floors below it. docs/architecture.md draws the same picture and says why each floor is where it is.
 * `npm run check:layers` (part of `npm test`) enforces these rules, type-only imports included.
 */
const FLOORS = [
  { name: 'ground', folders: ['contracts', 'lib'] },
  { name: 'security', folders: ['security'] },
  { name: 'storage', folders: ['storage'] },
  { name: 'tenant-events', folders: ['tenant-events'] },
  { name: 'durable-objects', folders: ['durable-objects'] },
  { name: 'providers', folders: ['providers'] },
  { name: 'tasks', folders: ['tasks'] },
  { name: 'pipeline', folders: ['pipeline'] },
  { name: 'admission', folders: ['admission'] },
  { name: 'http', folders: ['http'] },
  { name: 'doors', folders: ['routes', 'admin', 'kb', 'chat', 'classifiers', 'webhooks', 'batches', 'usage', 'web', 'mcp'] },
];

/**
 * Doors that may use another door's engine: a chat turn searches the bot's knowledge bases; the MCP
 * server's tools run knowledge-base search and chat turns as those doors' routes do.
 */
const DOOR_TO_DOOR = { chat: ['kb'], mcp: ['kb', 'chat'] };

const folderPattern = (folders) => `^src/(${folders.join('|')})/`;
const entry = '^src/(index|app)\\.ts$';

const upward = FLOORS.flatMap((floor, index) => {
  const above = FLOORS.slice(index + 1).flatMap((higher) => higher.folders);
  return [
    {
      name: `${floor.name}-imports-upward`,
      comment: `The ${floor.name} floor (${floor.folders.join(', ')}) may not import from a floor above it (${above.join(', ') || 'the entry'}).`,
      severity: 'error',
      from: { path: folderPattern(floor.folders) },
      to: { path: above.length > 0 ? [folderPattern(above), entry] : entry },
    },
  ];
});

const doors = FLOORS.at(-1).folders;
const doorToDoor = doors.map((door) => ({
  name: `door-${door}-imports-another-door`,
  comment: `Doors stay independent: ${door}/ may import ${(DOOR_TO_DOOR[door] ?? []).join(', ') || 'no other door'}.`,
  severity: 'error',
  from: { path: `^src/${door}/` },
  to: { path: folderPattern(doors.filter((other) => other !== door && !(DOOR_TO_DOOR[door] ?? []).includes(other))) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'No import circle, type-only imports included.', severity: 'error', from: { path: '^src/' }, to: { circular: true } },
    {
      name: 'no-stray-folder',
      comment: 'Every folder under src/ sits on a floor: add a new one to FLOORS (and docs/architecture.md).',
      severity: 'error',
      from: { path: '^src/', pathNot: [entry, ...FLOORS.map((floor) => folderPattern(floor.folders))] },
      to: {},
    },
    ...upward,
    ...doorToDoor,
  ],
  options: {
    includeOnly: '^src/',
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    parser: 'swc',
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js', '.json'] },
  },
};

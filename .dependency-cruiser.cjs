// @ts-check
// Import rules for every package (DESIGN.md "Layout"): no cycle anywhere, and inside
// @prmkit/core folders import only the folders below them. Run by `pnpm lint:deps`.

/** Core's folders, top to bottom: each may import only the ones after it. */
const coreLayers = [
  'http',
  'profiles',
  'server',
  'decide|observe',
  'metadata',
  'verify',
  'state',
  'www-authenticate',
  'model',
  'util',
];

/** `decide` and `observe` sit side by side: neither imports the other. */
const siblings = [['decide', 'observe']];

const core = '^packages/core/src/';

/** @type {import('dependency-cruiser').IForbiddenRuleType[]} */
const layerRules = coreLayers.flatMap((layer, index) => {
  const above = coreLayers.slice(0, index);
  if (above.length === 0) return [];
  return [
    {
      name: `core-layer-${layer.replace('|', '-')}`,
      comment: `core/src/{${layer}} imports only folders below it (${coreLayers.slice(index + 1).join(', ')})`,
      severity: 'error',
      from: { path: `${core}(${layer})/` },
      to: { path: `${core}(${above.join('|')})/` },
    },
  ];
});

const siblingRules = siblings.flatMap(([a, b]) => [
  {
    name: `core-sibling-${a}-${b}`,
    comment: `${a}/ and ${b}/ are siblings: they meet only through interfaces in model/`,
    severity: 'error',
    from: { path: `${core}${a}/` },
    to: { path: `${core}${b}/` },
  },
  {
    name: `core-sibling-${b}-${a}`,
    comment: `${a}/ and ${b}/ are siblings: they meet only through interfaces in model/`,
    severity: 'error',
    from: { path: `${core}${b}/` },
    to: { path: `${core}${a}/` },
  },
]);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycle, in any package (type-only imports count).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-entries-are-leaves',
      comment: 'Nothing inside core imports one of its entry files (they only re-export).',
      severity: 'error',
      from: { path: `${core}` },
      to: { path: `${core}(index|adapter|store|verify|http)\\.ts$|${core}node/index\\.ts$` },
    },
    {
      name: 'core-folders-not-entries-up',
      comment: 'No core folder imports the Node entry (node/ sits above every folder).',
      severity: 'error',
      from: { path: `${core}(?!node/)` },
      to: { path: `${core}node/` },
    },
    {
      name: 'packages-not-apps',
      comment: 'Packages never import the apps (the arrows point inward).',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/' },
      to: { path: '^apps/' },
    },
    ...layerRules,
    ...siblingRules,
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|test|\\.turbo)/' },
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};

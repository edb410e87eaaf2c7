/**
 * The layering rule (ARCHITECTURE.md, decision 0024), checked by `npm test` through `npm run depcheck`.
 * Dependencies point inwards: the pure core knows nothing of the engine; the engine's use cases know the
 * core and the ports they own; adapters implement ports; only the composition root knows them all.
 */
const CORE = '^src/(dictionary|logic|answers|messages|languages|conversation|checks)/';
const layer = (name, from, allowed) => ({
  name,
  severity: 'error',
  comment: `${name}: ${from} may import only ${allowed.join(', ')} inside src/`,
  from: { path: from },
  to: { path: '^src/', pathNot: allowed.map((folder) => (folder === 'core' ? CORE : `^src/${folder}/`)) },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle, type-only imports included: split the shared part into a module of its own.',
      from: {},
      to: { circular: true },
    },
    layer('core-is-pure', CORE, ['core']),
    layer('config-knows-the-core', '^src/config/', ['core', 'config']),
    layer('ports-know-the-core', '^src/ports/', ['core', 'config', 'ports']),
    layer('policies-are-pure', '^src/policies/', ['core', 'config', 'ports', 'policies']),
    layer('use-cases-know-only-core-and-ports', '^src/use-cases/', ['core', 'config', 'ports', 'policies', 'use-cases']),
    layer('loops-know-use-cases-and-ports', '^src/loops/', ['core', 'config', 'ports', 'policies', 'use-cases', 'loops']),
    layer('adapters-implement-ports', '^src/adapters/', ['core', 'config', 'ports', 'policies', 'adapters']),
    layer('composition-is-production', '^src/composition/', ['core', 'config', 'ports', 'policies', 'use-cases', 'loops', 'adapters', 'composition']),
    layer('demo-is-not-a-tool', '^src/demo/', ['core', 'config', 'ports', 'policies', 'use-cases', 'loops', 'adapters', 'composition', 'demo']),
    {
      name: 'core-does-no-io',
      severity: 'error',
      comment: 'The pure core reads no files, sockets, threads or processes: the shell does its I/O.',
      from: { path: CORE },
      to: { dependencyTypes: ['core'], pathNot: '^node:crypto$|^crypto$' },
    },
    {
      name: 'production-never-imports-tests-or-bench',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'bench-uses-only-shared-test-helpers',
      severity: 'error',
      comment: 'The benchmarks share only the dev-only helpers made for both (fakes at the HTTP edge, the throwaway PostgreSQL server), never a test.',
      from: { path: '^bench/' },
      to: { path: '^test/', pathNot: '^test/(fakes|postgres-server)/' },
    },
    {
      name: 'shared-test-helpers-stand-alone',
      severity: 'error',
      comment: 'What bench/ imports from test/ imports nothing else of test/, so the benchmarks never reach a test through it.',
      from: { path: '^test/(fakes|postgres-server)/' },
      to: { path: '^test/', pathNot: '^test/(fakes|postgres-server)/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
    moduleSystems: ['es6'],
  },
};

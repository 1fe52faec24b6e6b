/** The layering rule of DESIGN.md: core is the centre and imports no front-end; no cycles anywhere. */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-front-end',
      comment:
        'src/core defines ports; bots, jobs and web are adapters that depend on it, never the reverse.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(bots|jobs|web)/' },
    },
    {
      name: 'no-circular',
      comment: 'Files that import each other in a circle cannot be understood or tested one at a time.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};

/**
 * The layer rules of docs/architecture.md, one rule per ring, innermost first. Each ring may
 * import the rings inside it and never one outside: domain ← ports ← config, services ← adapters
 * ← front-ends ← composition. No cycles anywhere.
 */
const DOMAIN = '^src/core/(domain/|errors\\.ts$|result\\.ts$)';
const PORTS = '^src/core/ports/';
const CONFIG = '^src/core/config/';
const SERVICES = '^src/core/(services|links)/';
const ADAPTERS = '^src/core/adapters/';
const FRONT_ENDS = '^src/(bots|web|jobs)/';
const COMPOSITION = '^src/(composition/|[^/]+\\.ts$)';
/** The cleanup worker runs in a thread of its own: its entry file composes what it runs. */
const ENTRY_POINTS = '^src/jobs/cleanup-worker\\.ts$';

const outside = (...rings) => `(${rings.join('|')})`;

module.exports = {
  forbidden: [
    {
      name: 'domain-imports-only-domain',
      comment:
        'Leases, notices, labels, errors and results are plain data and rules: they know no port, service or adapter.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: outside(PORTS, CONFIG, SERVICES, ADAPTERS, FRONT_ENDS, COMPOSITION) },
    },
    {
      name: 'ports-import-only-domain',
      comment:
        'A port is an interface in domain terms; what implements it or calls it is none of its business.',
      severity: 'error',
      from: { path: PORTS },
      to: { path: outside(CONFIG, SERVICES, ADAPTERS, FRONT_ENDS, COMPOSITION) },
    },
    {
      name: 'config-imports-only-domain',
      comment: 'Configuration is read and validated on its own; it builds nothing.',
      severity: 'error',
      from: { path: CONFIG },
      to: { path: outside(PORTS, SERVICES, ADAPTERS, FRONT_ENDS, COMPOSITION) },
    },
    {
      name: 'services-import-no-adapter',
      comment:
        'The use cases run on ports; which Redis or Docker stands behind them is decided in the composition root.',
      severity: 'error',
      from: { path: SERVICES },
      to: { path: outside(ADAPTERS, FRONT_ENDS, COMPOSITION) },
    },
    {
      name: 'adapters-import-no-service',
      comment: 'An adapter implements a port; it calls no use case and knows no front-end.',
      severity: 'error',
      from: { path: ADAPTERS },
      to: { path: outside(SERVICES, FRONT_ENDS, COMPOSITION) },
    },
    {
      name: 'front-ends-reach-adapters-only-through-composition',
      comment:
        'Bots, web and jobs call core services and ports; the adapters behind them are built in src/composition. Entry points of their own processes compose through it too.',
      severity: 'error',
      from: { path: FRONT_ENDS, pathNot: ENTRY_POINTS },
      to: { path: outside(ADAPTERS, COMPOSITION) },
    },
    {
      name: 'entry-points-reach-adapters-only-through-composition',
      comment:
        'A process of its own builds its adapters with the same factory as the product, never by hand.',
      severity: 'error',
      from: { path: ENTRY_POINTS },
      to: { path: ADAPTERS },
    },
    {
      name: 'front-ends-import-no-other-front-end',
      comment:
        'Slack, Discord, the console, the web and the jobs meet only in core and in the composition root.',
      severity: 'error',
      from: { path: '^src/(bots|web|jobs)/' },
      to: { path: '^src/(bots|web|jobs)/', pathNot: '^src/$1/' },
    },
    {
      name: 'chat-platforms-import-no-other-platform',
      comment:
        'Each folder of src/bots is one platform (slack, discord, console…) and shares only the files and folders of src/bots they all use (grammar/, replies/, the toolkit beside them).',
      severity: 'error',
      from: { path: '^src/bots/([^/]+)/' },
      to: { path: '^src/bots/[^/]+/', pathNot: '^src/bots/($1|grammar|replies)/' },
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

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

/** An import dependency-cruiser fails the build on, and why it is forbidden. */
const forbid = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });

module.exports = {
  forbidden: [
    forbid(
      'domain-imports-only-domain',
      'Leases, notices, labels, errors and results are plain data and rules: they know no port, service or adapter.',
      { path: DOMAIN },
      { path: outside(PORTS, CONFIG, SERVICES, ADAPTERS, FRONT_ENDS, COMPOSITION) },
    ),
    forbid(
      'ports-import-only-domain',
      'A port is an interface in domain terms; what implements it or calls it is none of its business.',
      { path: PORTS },
      { path: outside(CONFIG, SERVICES, ADAPTERS, FRONT_ENDS, COMPOSITION) },
    ),
    forbid(
      'config-imports-only-domain',
      'Configuration is read and validated on its own; it builds nothing.',
      { path: CONFIG },
      { path: outside(PORTS, SERVICES, ADAPTERS, FRONT_ENDS, COMPOSITION) },
    ),
    forbid(
      'services-import-no-adapter',
      'The use cases run on ports; which Redis or Docker stands behind them is decided in the composition root.',
      { path: SERVICES },
      { path: outside(ADAPTERS, FRONT_ENDS, COMPOSITION) },
    ),
    forbid(
      'adapters-import-no-service',
      'An adapter implements a port; it calls no use case and knows no front-end.',
      { path: ADAPTERS },
      { path: outside(SERVICES, FRONT_ENDS, COMPOSITION) },
    ),
    forbid(
      'front-ends-reach-adapters-only-through-composition',
      'Bots, web and jobs call core services and ports; the adapters behind them are built in src/composition. Entry points of their own processes compose through it too.',
      { path: FRONT_ENDS, pathNot: ENTRY_POINTS },
      { path: outside(ADAPTERS, COMPOSITION) },
    ),
    forbid(
      'entry-points-reach-adapters-only-through-composition',
      'A process of its own builds its adapters with the same factory as the product, never by hand.',
      { path: ENTRY_POINTS },
      { path: ADAPTERS },
    ),
    forbid(
      'front-ends-import-no-other-front-end',
      'Slack, Discord, the console, the web and the jobs meet only in core and in the composition root.',
      { path: '^src/(bots|web|jobs)/' },
      { path: '^src/(bots|web|jobs)/', pathNot: '^src/$1/' },
    ),
    forbid(
      'chat-platforms-import-no-other-platform',
      'Each folder of src/bots is one platform (slack, discord, console…) and shares only the files and folders of src/bots they all use (grammar/, replies/, the toolkit beside them).',
      { path: '^src/bots/([^/]+)/' },
      { path: '^src/bots/[^/]+/', pathNot: '^src/bots/($1|grammar|replies)/' },
    ),
    forbid(
      'running-discord-bot-loads-no-command-builder',
      'The /lease definition (commands.ts, @discordjs/builders) is for `npm run discord:register`; the running bot never loads it (docs/architecture.md, "A lighter process").',
      { path: '^src/bots/discord/discord-bot\\.ts$' },
      { path: '^src/bots/discord/commands\\.ts$', reachable: true },
    ),
    forbid(
      'no-circular',
      'Files that import each other in a circle cannot be understood or tested one at a time.',
      {},
      { circular: true },
    ),
    forbid(
      'no-test-code-in-src',
      'Tests depend on the product, never the reverse.',
      { path: '^src/' },
      { path: '^test/' },
    ),
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

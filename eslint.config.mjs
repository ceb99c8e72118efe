import nx from '@nx/eslint-plugin';

/**
 * Layers inside each service: http -> application -> infrastructure -> domain (the order's saga
 * state machine and its table are domain too). A layer imports only the layers after it, by
 * relative path; the domain is plain TypeScript, with neither Nest nor TypeORM, and of the shop's
 * libraries uses only those without dependencies. Tests may reach across.
 */
function layer(folders, below, extra = []) {
  return {
    // Relative to the config ESLint loads (each project's own, which nx lint runs from its folder).
    files: folders.map((f) => `**/src/**/${f}/**/*.ts`),
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: `^\\.{1,2}/(.*/)?(${below.join('|')})(/|$)`, message: `layers import downwards only: http -> application -> infrastructure -> domain (${folders.join(', ')} may not import ${below.join(', ')})` },
            ...extra,
          ],
        },
      ],
    },
  };
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/.run', '**/node_modules'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js'],
    rules: {
      // Apps never import each other; contracts depend on nothing; deep imports into a lib fail.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          banTransitiveDependencies: true,
          // Shared config files at the root that the projects' own configs build on.
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$', '^.*/jest\\.integration\\.preset\\.js$', '^.*/webpack\\.app\\.config\\.js$', '^.*/jest\\.contract\\.preset\\.js$'],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:messaging', 'type:platform', 'type:testing', 'type:console-api', 'type:infra'] },
            // The console's API shapes, shared by its backend and its page (the page runs in the browser: nothing else).
            { sourceTag: 'type:console-api', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:web', onlyDependOnLibsWithTags: ['type:console-api'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:contracts', 'type:messaging', 'type:testing'] },
            { sourceTag: 'type:messaging', onlyDependOnLibsWithTags: ['type:contracts', 'type:testing'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
            // End-to-end suites drive the built services from outside: test helpers and contracts only.
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:contracts', 'type:infra'] },
            // Test helpers (start the real infrastructure, run a built service): used by tests only.
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:infra'] },
            // The npm entry points in scripts/ (run by Node itself): the contracts, the messaging library, the local infrastructure.
            { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['type:contracts', 'type:messaging', 'type:infra'] },
            // The local infrastructure (libs/infra, behind scripts/infra/infra.sh): Node's own modules only.
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: [] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layer(['application'], ['http']),
  layer(['infrastructure'], ['application', 'http']),
  layer(['domain', 'saga'], ['infrastructure', 'application', 'http'], [
    { group: ['@nestjs/*', 'typeorm', 'typeorm/*'], message: 'the domain is plain TypeScript: no Nest, no TypeORM' },
    // The libraries without dependencies are fine: the contracts (the order saga's table names its
    // messages and builds their data) and the domain errors. Messaging and the platform bring Nest.
    {
      regex: '^@shop/(messaging|platform)(/(?!errors$).*)?$',
      message: 'the domain may use @shop/contracts and @shop/platform/errors only: messaging and the platform bring Nest and I/O',
    },
  ]),
];

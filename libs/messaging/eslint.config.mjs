import baseConfig from '../../eslint.config.mjs';

/**
 * The folders of src/lib in layers, lowest first: a folder imports only folders of the layers
 * before its own (errors.ts, messaging.module.ts and the index sit outside them). The consumer's
 * parts sit above the Kafka helpers they use; the transport runs the consumer; nest/ wires the
 * transport, the relay and the metrics into a Nest application. Specs may reach across.
 */
const LAYERS = [
  ['resilience', 'migrations'],
  ['envelope'],
  ['logging', 'tracing'],
  ['kafka'],
  ['schema-registry'],
  ['consumer', 'outbox', 'streams'],
  ['dead-letters', 'metrics'],
  ['transport'],
  ['nest'],
];

const layerRules = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(i).flat();
  return layer.flatMap((folder) => {
    const forbidden = above.filter((f) => f !== folder);
    if (forbidden.length === 0) return [];
    return {
      files: [`**/src/lib/${folder}/**/*.ts`],
      ignores: ['**/*.spec.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                regex: `^\\.{1,2}/(.*/)?(${forbidden.join('|')})(/|$)`,
                message: `messaging's folders import downwards only (${LAYERS.map((l) => l.join(', ')).join(' -> ')}): ${folder} may not import ${forbidden.join(', ')}`,
              },
            ],
          },
        ],
      },
    };
  });
});

export default [...baseConfig, ...layerRules];

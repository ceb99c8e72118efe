import baseConfig from '../eslint.config.mjs';

/** The npm entry points run by Node itself (type stripping): `npm run dlq`, `token`, `shop`, and infra's kafka-acls. */
export default [...baseConfig, { files: ['**/*.mts'] }];

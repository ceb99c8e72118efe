import baseConfig from '../eslint.config.mjs';

/** The npm entry points run by Node itself (type stripping: `npm run token`) or with tsx (`dlq`, `shop`, and infra's kafka-acls). */
export default [...baseConfig, { files: ['**/*.mts'] }];

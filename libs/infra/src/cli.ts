/**
 * scripts/infra/infra.sh's implementation: start|stop|status|logs [-f] [-n N] [component ...].
 * Exit codes: 0; 1 on a failure (the reason on stderr); 2 on a usage error; 3 from status when a
 * component is not running and healthy; logs passes on tail's.
 */
import { parseArgs } from './lib/cli-args';
import { COMPONENT_NAMES, DEFAULT_COMPONENTS } from './lib/components';
import { infraContext, type InfraContext } from './lib/context';
import { logs, start, status, stop } from './lib/infra';
import { InfraError, progressLogger } from './lib/toolkit/log';

const usage = (ctx: InfraContext) =>
  `usage: infra.sh start|stop|status|logs [-f] [-n N] [component ...]
components: ${COMPONENT_NAMES.join(' ')} (default: ${DEFAULT_COMPONENTS.join(' ')})
run dir: ${ctx.runDir}   cache: ${ctx.layout.cacheDir}
`;

async function main(argv: string[]): Promise<number> {
  // infra.sh passes the moment it began, so the times printed include this process's own start.
  const { SHOP_INFRA_T0, ...env } = process.env;
  const began = Number(SHOP_INFRA_T0);
  const log = progressLogger(Number.isFinite(began) && began > 0 ? began * 1000 : Date.now());
  try {
    const ctx = await infraContext({ env, log });
    const invocation = parseArgs(argv);
    switch (invocation.command) {
      case 'usage-error':
        process.stderr.write(usage(ctx));
        return 2;
      case 'help':
        process.stdout.write(usage(ctx));
        return 0;
      case 'start':
        await start(ctx, invocation.components);
        return 0;
      case 'stop':
        await stop(ctx, invocation.components);
        return 0;
      case 'status':
        return (await status(ctx, invocation.components)).every((s) => s.state === 'running') ? 0 : 3;
      case 'logs':
        return await logs(ctx, invocation.components, invocation);
    }
  } catch (error) {
    if (!(error instanceof InfraError)) throw error;
    if (!error.reported) log.log(`ERROR: ${error.message}`);
    return error.exitCode;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

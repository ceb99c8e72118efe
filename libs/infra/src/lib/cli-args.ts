import type { ComponentName } from './component';
import { checkComponentNames, DEFAULT_COMPONENTS } from './components';
import { InfraError } from './toolkit/log';

/** What `infra.sh <arguments>` asks for. */
export type Invocation =
  | { command: 'start' | 'stop' | 'status'; components: ComponentName[] }
  | { command: 'logs'; components: ComponentName[]; follow: boolean; lines: string }
  | { command: 'help' }
  /** No command or an unknown one: usage on stderr, exit 2. */
  | { command: 'usage-error' };

/**
 * `start|stop|status|logs [-f] [-n N] [component ...]`. Without names: the default components
 * (`all` as the first name too); names in any order. Unknown names fail.
 */
export function parseArgs(argv: readonly string[]): Invocation {
  const [command, ...rest] = argv;
  if (!command) return { command: 'usage-error' };
  if (command === 'logs') {
    let follow = false;
    let lines = '40';
    const names: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const arg = rest[i];
      if (arg === '-f' || arg === '--follow') follow = true;
      else if (arg === '-n') {
        if (!rest[i + 1]) throw new InfraError('-n needs a number');
        lines = rest[++i];
      } else names.push(arg);
    }
    return { command, follow, lines, components: checkComponentNames(names.length ? names : DEFAULT_COMPONENTS) };
  }
  const named = rest.length === 0 || rest[0] === 'all' ? DEFAULT_COMPONENTS : rest;
  const components = checkComponentNames(named);
  if (command === 'start' || command === 'stop' || command === 'status') return { command, components };
  if (command === '-h' || command === '--help' || command === 'help') return { command: 'help' };
  return { command: 'usage-error' };
}

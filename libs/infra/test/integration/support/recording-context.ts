import { infraContext, progressLogger, type InfraContext } from '../../../src';

/**
 * An infra context on `env` (over this process's environment) whose progress lines go to stderr
 * and into `lines`, emptied first: what a test reads back after start, status or stop. A context
 * made earlier keeps writing into the same `lines`.
 */
export function recordingContext(env: Record<string, string>, lines: string[]): Promise<InfraContext> {
  lines.length = 0;
  const sink = (text: string) => {
    lines.push(text);
    process.stderr.write(text);
  };
  return infraContext({ env: { ...process.env, ...env }, log: progressLogger(Date.now(), sink, sink) });
}

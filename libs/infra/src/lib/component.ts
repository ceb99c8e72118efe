import type { InfraContext } from './context';
import type { PortSetting } from './settings';
import type { Env } from './toolkit/process';

export type ComponentName = 'postgres' | 'kafka' | 'jaeger' | 'mailpit' | 'keycloak' | 'registry';

/**
 * One local infrastructure component: everything start, stop, status and logs need to know about
 * it. One file per component under components/; the table is components.ts.
 */
export interface Component {
  readonly name: ComponentName;
  /** What scripts/infra/provision.sh must have fetched or built before it can start (its argument). */
  readonly provision: string;
  /** Its listening ports: the variables that set them and today's defaults. */
  readonly ports: readonly PortSetting[];
  /** The ports it binds with this environment (all on 127.0.0.1). */
  listenPorts(env: Env): number[];
  /** Where it logs (`infra.sh logs` shows it; failures print its tail). */
  logFile(ctx: InfraContext): string;
  /**
   * Starts it, or finds it running. Resolves with the pids to wait for: none when it is already
   * running and answering. Fails when one of its ports is held by something else.
   */
  launch(ctx: InfraContext): Promise<readonly number[]>;
  /** Waits until the launched pids are ready, then does what follows every start (databases, topics and ACLs). */
  ready(ctx: InfraContext, launched: readonly number[], signal?: AbortSignal): Promise<void>;
  /** It answers (what status calls running). */
  healthy(ctx: InfraContext): Promise<boolean>;
  /** The pid of this run dir's server, if it runs. */
  pid(ctx: InfraContext): Promise<number | undefined>;
  /** Stops it if it runs and confirms its ports are free. */
  stop(ctx: InfraContext): Promise<void>;
  /** Where to reach it: the status and start summary line. */
  url(ctx: InfraContext): string;
}

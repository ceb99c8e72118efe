/**
 * On SIGINT or SIGTERM (Ctrl-C): say so, run `stop` (the private shop's processes and
 * infrastructure) once, then exit 130, so an interrupted run leaves nothing behind.
 */
export function stopOnSignal(log: (message: string) => void, stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: stopping the shop`);
      void stop().finally(() => process.exit(130));
    });
  }
}

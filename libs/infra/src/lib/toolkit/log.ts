/**
 * The progress lines every operation prints on stderr (`[infra]   1.0s  postgres: ...`), with the
 * seconds since the command began, and the one error type that ends a command with exit 1.
 */
export interface Logger {
  /** A progress line. */
  log(message: string): void;
  warn(message: string): void;
  /** Seconds since `since` (a Date.now() value), one decimal, as the progress lines print them. */
  elapsed(since: number): string;
  /** A block of text as it is, beside the progress lines (log tails, a failing tool's output). */
  raw(text: string): void;
  /** Results (the start summary, status lines): stdout, kept clean of progress lines. */
  out(text: string): void;
}

/** Progress on stderr, results on stdout; `t0` is when the command began. */
export function progressLogger(
  t0 = Date.now(),
  write: (text: string) => void = (text) => process.stderr.write(text),
  out: (text: string) => void = (text) => process.stdout.write(text),
): Logger {
  const elapsed = (since: number) => ((Date.now() - since) / 1000).toFixed(1);
  const log = (message: string) => write(`[infra] ${elapsed(t0).padStart(6)}s  ${message}\n`);
  return { log, warn: (message) => log(`WARNING: ${message}`), elapsed, raw: write, out };
}

/**
 * What makes a command fail: printed as `ERROR: <message>` and exit 1. `reported` when the cause
 * has printed its own explanation (provision.sh does): then only the exit code is passed on.
 */
export class InfraError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly reported = false,
  ) {
    super(message);
    this.name = 'InfraError';
  }
}

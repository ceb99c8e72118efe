import type { Params } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';

const QUIET_PATHS = ['/health/', '/metrics'];

/** One JSON object per line on stdout: what log shippers (and `jq`) expect. */
export function loggerOptions(service: string, level: string): Params {
  return {
    pinoHttp: {
      level,
      base: { service },
      messageKey: 'msg',
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Probes and scrapes run every few seconds; logging them buries everything else.
      autoLogging: { ignore: (req) => QUIET_PATHS.some((p) => (req.url ?? '').startsWith(p)) },
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
  };
}

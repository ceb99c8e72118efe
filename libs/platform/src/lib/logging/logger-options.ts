import { currentMessageLogFields } from '@shop/messaging';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';
import { PERSONAL_DATA_LOG_PATHS, REDACTED } from './personal-data';
import { currentRequestLogFields } from './request-log-context';

const QUIET_PATHS = ['/health/', '/metrics'];
const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[\w.:-]{1,100}$/;

/**
 * One JSON object per line on stdout: what log shippers (and `jq`) expect. Every line carries
 * `trace_id`/`span_id` (OpenTelemetry's pino instrumentation); lines written while handling a
 * request carry its `correlationId` (the caller's X-Correlation-Id, or a new one, echoed back)
 * and, once the handler has named it (`addRequestLogFields`), the `orderId`;
 * lines written while handling a Kafka message carry `correlationId`, `messageId`,
 * `messageType` and, for saga traffic, `orderId`.
 */
export function loggerOptions(service: string, level: string): Params {
  return {
    pinoHttp: {
      level,
      base: { service },
      messageKey: 'msg',
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...currentRequestLogFields(), ...currentMessageLogFields() }),
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const given = req.headers[CORRELATION_HEADER];
        const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
        res.setHeader(CORRELATION_HEADER, id);
        return id;
      },
      customProps: (req: IncomingMessage) => ({ correlationId: (req as IncomingMessage & { id?: unknown }).id }),
      // Probes and scrapes run every few seconds; logging them buries everything else.
      autoLogging: { ignore: (req) => QUIET_PATHS.some((p) => (req.url ?? '').startsWith(p)) },
      // Credentials and personal data never reach the log (see personal-data.ts).
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', ...PERSONAL_DATA_LOG_PATHS], censor: REDACTED },
    },
  };
}

import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainError, type DomainErrorKind } from '../../errors';
import { methodsAllowedInstead, type RoutedRequest } from './allowed-methods';

/** RFC 9457 problem details. `code` and `errors` are extension members. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  errors?: unknown[];
  [extension: string]: unknown;
}

const STATUS_OF: Record<DomainErrorKind, number> = { NOT_FOUND: 404, CONFLICT: 409, INVALID: 422 };

const CODE_OF_STATUS: Record<number, string> = {
  400: 'REQUEST.INVALID',
  401: 'AUTH.TOKEN_REQUIRED',
  403: 'AUTH.FORBIDDEN',
  404: 'REQUEST.NOT_FOUND',
  405: 'REQUEST.METHOD_NOT_ALLOWED',
  413: 'REQUEST.TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  422: 'REQUEST.UNPROCESSABLE',
  429: 'REQUEST.TOO_MANY',
};

/**
 * The one place errors become HTTP answers: every error leaves as application/problem+json.
 * Domain errors keep their stable code; framework errors (malformed JSON, a body over the
 * limit, an unknown route) get a REQUEST.* code; anything else is a 500 whose internals are logged, never sent.
 * A method the path does not have answers 405 with `Allow`, not 404.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<RoutedRequest & { url: string; originalUrl?: string }>();
    const res = http.getResponse<{ setHeader(name: string, value: string): void; status(code: number): { type(t: string): { send(body: string): void } } }>();
    const instance = req.originalUrl ?? req.url;
    let problem = this.toProblem(error, instance);
    const allowed = problem.status === 404 ? methodsAllowedInstead(req) : [];
    if (allowed.length > 0) {
      res.setHeader('Allow', allowed.join(', '));
      problem = toProblemDetails(405, CODE_OF_STATUS[405], `${req.method} is not allowed here; allowed: ${allowed.join(', ')}`, instance);
    }
    if (problem.status >= 500) this.logger.error({ err: error }, `unhandled error on ${req.method} ${req.originalUrl ?? req.url}`);
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(error: unknown, instance: string): ProblemDetails {
    if (error instanceof DomainError) {
      return toProblemDetails(STATUS_OF[error.kind], error.code, error.message, instance, error.details);
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      const code = typeof fields['code'] === 'string' ? fields['code'] : (CODE_OF_STATUS[status] ?? `HTTP.${status}`);
      const detail = typeof fields['message'] === 'string' ? fields['message'] : error.message;
      const extra = Array.isArray(fields['errors']) ? { errors: fields['errors'] } : undefined;
      return toProblemDetails(status, code, detail, instance, extra);
    }
    // body-parser's own errors (a body over the limit) arrive as plain errors carrying a 4xx status.
    const status = (error as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const detail = status === 413 ? 'request body too large' : 'request could not be read';
      return toProblemDetails(status, CODE_OF_STATUS[status] ?? `HTTP.${status}`, detail, instance);
    }
    return toProblemDetails(HttpStatus.INTERNAL_SERVER_ERROR, 'INTERNAL', 'an unexpected error occurred', instance);
  }
}

function toProblemDetails(status: number, code: string, detail: string, instance: string, extra?: Record<string, unknown>): ProblemDetails {
  // Extension members first: a detail named like a standard member (e.g. `status`) must not replace it.
  return {
    ...extra,
    type: `urn:shop:problem:${code}`,
    title: titleOf(status),
    status,
    detail,
    instance,
    code,
  };
}

function titleOf(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  if (!name) return `HTTP ${status}`;
  return name
    .toLowerCase()
    .split('_')
    .map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : w))
    .join(' ');
}

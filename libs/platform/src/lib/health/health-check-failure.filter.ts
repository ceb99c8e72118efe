import { ArgumentsHost, Catch, ExceptionFilter, ServiceUnavailableException } from '@nestjs/common';

/**
 * /health/ready answers in terminus' own format on failure too (503 with `error.<dependency>`),
 * which probes and operators expect, instead of the problem+json used by the rest of the API.
 */
@Catch(ServiceUnavailableException)
export class HealthCheckFailureFilter implements ExceptionFilter {
  catch(error: ServiceUnavailableException, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<{ status(code: number): { json(body: unknown): void } }>()
      .status(503)
      .json(error.getResponse());
  }
}

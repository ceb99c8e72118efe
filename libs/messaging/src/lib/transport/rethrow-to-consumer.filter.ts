import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Hands whatever a message handler threw, the same instance, back to the consumer. Nest's default
 * for RPC (BaseRpcExceptionFilter) would log it and replace anything but an RpcException with
 * `{ status: 'error', message: 'Internal server error' }`; the consumer decides between retry,
 * waiting for the database and dead-lettering by the error's class and cause, and logs the
 * outcome itself. The transport installs this as the only global filter of its microservice
 * (see connectMessaging); a filter bound to a handler comes first and should rethrow too.
 */
@Catch()
export class RethrowToConsumerFilter implements RpcExceptionFilter<unknown> {
  catch(error: unknown): Observable<never> {
    return throwError(() => error);
  }
}

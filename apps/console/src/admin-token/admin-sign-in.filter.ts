import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { AdminSignInError } from './admin-token';

/** Without the admin's token the console can show nothing: 503, with why, so the page can say it. */
@Catch(AdminSignInError)
export class AdminSignInFilter implements ExceptionFilter {
  catch(error: AdminSignInError, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<{ status(code: number): { type(t: string): { json(body: unknown): void } } }>()
      .status(503)
      .type('application/problem+json')
      .json({ type: 'about:blank', title: 'The console cannot sign in to the shop', status: 503, detail: error.message });
  }
}

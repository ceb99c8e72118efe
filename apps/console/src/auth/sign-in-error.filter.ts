import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { SignInError } from './oidc-client';

/** The identity provider refused (400) or did not answer (503): a problem document that says which. */
@Catch(SignInError)
export class SignInErrorFilter implements ExceptionFilter {
  catch(error: SignInError, host: ArgumentsHost): void {
    const status = error.refused ? 400 : 503;
    host
      .switchToHttp()
      .getResponse<{ status(code: number): { type(t: string): { json(body: unknown): void } } }>()
      .status(status)
      .type('application/problem+json')
      .json({ type: 'about:blank', title: error.refused ? 'Sign-in refused' : 'The identity provider does not answer', status, detail: error.message });
  }
}

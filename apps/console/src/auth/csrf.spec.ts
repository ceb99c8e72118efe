import { ForbiddenException } from '@nestjs/common';
import { CSRF_HEADER, requireCsrfToken } from './csrf';

describe('requireCsrfToken: a change needs the session’s token, from the console’s own origin', () => {
  const ORIGIN = 'http://127.0.0.1:3100';
  const TOKEN = 'session-csrf-token';
  const check = (method: string, headers: Record<string, string>) => {
    try {
      requireCsrfToken({ method, headers }, TOKEN, ORIGIN);
      return 'allowed';
    } catch (error) {
      expect(error).toBeInstanceOf(ForbiddenException);
      return `403: ${((error as ForbiddenException).getResponse() as { detail: string }).detail}`;
    }
  };

  it.each([
    ['GET', {}, 'allowed'],
    ['HEAD', { origin: 'http://127.0.0.1:9999' }, 'allowed'],
    ['POST', { [CSRF_HEADER]: TOKEN }, 'allowed'],
    ['POST', { [CSRF_HEADER]: TOKEN, origin: ORIGIN }, 'allowed'],
    ['post', { [CSRF_HEADER]: TOKEN }, 'allowed'],
    ['POST', {}, /^403: a POST needs the session's CSRF token in the x-csrf-token header/],
    ['DELETE', { [CSRF_HEADER]: '' }, /^403: a DELETE needs/],
    ['PUT', { [CSRF_HEADER]: 'another-token' }, /^403: the x-csrf-token header is not this session's CSRF token/],
    ['POST', { [CSRF_HEADER]: `${TOKEN}x` }, /^403: the x-csrf-token header is not/],
    ['POST', { [CSRF_HEADER]: TOKEN, origin: 'http://127.0.0.1:8025' }, /^403: the request comes from http:\/\/127.0.0.1:8025, not from the console/],
    ['PATCH', { [CSRF_HEADER]: TOKEN, origin: 'null' }, /^403: the request comes from null/],
  ])('%s with %j: %s', (method, headers, expected) => {
    const result = check(method, headers as Record<string, string>);
    if (typeof expected === 'string') expect(result).toBe(expected);
    else expect(result).toMatch(expected);
  });
});

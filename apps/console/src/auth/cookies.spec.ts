import { readCookie, setCookie } from './cookies';

describe('cookies', () => {
  it('reads one cookie among several, and nothing from a missing header', () => {
    expect(readCookie('a=1; console_session=abc%3D; b=2', 'console_session')).toBe('abc=');
    expect(readCookie('xconsole_session=1', 'console_session')).toBeUndefined();
    expect(readCookie(undefined, 'console_session')).toBeUndefined();
  });

  it('sets HttpOnly, SameSite=Lax cookies, Secure only over https', () => {
    expect(setCookie('s', 'v', { path: '/', maxAgeSeconds: 60.5, secure: false })).toBe('s=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax');
    expect(setCookie('s', 'v', { path: '/auth', maxAgeSeconds: 0, secure: true })).toBe('s=v; Path=/auth; Max-Age=0; HttpOnly; SameSite=Lax; Secure');
  });
});

/** The browser's session with the console: an opaque id, HttpOnly (the page's scripts never see it). */
export const SESSION_COOKIE = 'console_session';
/** Binds a sign-in to the browser that began it: the callback's state must match it (no login CSRF). */
export const SIGN_IN_COOKIE = 'console_sign_in';

/** The value of cookie `name` in a Cookie header, if any. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** A Set-Cookie value: HttpOnly, SameSite=Lax (the identity provider's redirect back is a top-level GET), Secure over https. */
export function setCookie(name: string, value: string, options: { path: string; maxAgeSeconds: number; secure: boolean }): string {
  return [`${name}=${encodeURIComponent(value)}`, `Path=${options.path}`, `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`, 'HttpOnly', 'SameSite=Lax', ...(options.secure ? ['Secure'] : [])].join('; ');
}

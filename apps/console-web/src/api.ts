/** A refusal or failure of the console's API, with the problem document's words when there is one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The session's CSRF token (GET /auth/me): every request that changes something carries it. */
let csrfToken = '';

export function rememberCsrfToken(token: string): void {
  csrfToken = token;
}

/** Sends the browser to sign in through the identity provider, back to where it is now afterwards. */
export function signIn(): void {
  window.location.assign(`/auth/login?returnTo=${encodeURIComponent(window.location.pathname + window.location.hash)}`);
}

/** Signs out of the console, then of the identity provider, which sends the browser back to the start page. */
export async function signOut(): Promise<void> {
  const res = await fetch('/auth/logout', { method: 'POST', headers: { 'x-csrf-token': csrfToken } });
  const body = (await res.json()) as { endSessionUrl: string };
  window.location.assign(body.endSessionUrl);
}

/** GET a JSON document from the console's backend; without a session (401) the browser goes to sign in. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' }, signal });
  if (res.status === 401) signIn();
  const body = (await res.json().catch(() => null)) as { detail?: string; message?: string; title?: string } | null;
  if (!res.ok) throw new ApiError(res.status, body?.detail ?? body?.message ?? body?.title ?? `${path} answered ${res.status}`);
  return body as T;
}

/** POST a JSON body to the console's backend; the answer's JSON, or an ApiError with the problem's words. */
export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrfToken }, body: JSON.stringify(body) });
  if (res.status === 401) signIn();
  const answer = (await res.json().catch(() => null)) as { detail?: string; message?: string; title?: string } | null;
  if (!res.ok) throw new ApiError(res.status, answer?.detail ?? answer?.message ?? answer?.title ?? `${path} answered ${res.status}`);
  return answer as T;
}

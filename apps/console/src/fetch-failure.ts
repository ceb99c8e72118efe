/** Why a fetch failed, in a few words: undici hides the socket's error (ECONNREFUSED, ...) in `cause`. */
export function fetchFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

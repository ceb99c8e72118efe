/** Money as the shop keeps it: integer cents and an ISO currency. */
export function money(cents: number, currency: string): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(cents / 100);
}

/** A short age or duration: 850 ms, 12 s, 4 min, 3 h, 2 d. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

/** The time between two ISO timestamps, in ms. */
export const between = (from: string, to: string): number => Date.parse(to) - Date.parse(from);

/** The time of day of an ISO timestamp, in the browser's zone: 12:34 (12:34:56 with seconds). */
export function clock(iso: string, withSeconds = false): string {
  return new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', ...(withSeconds && { second: '2-digit' }) });
}

/** One sample of the Prometheus text exposition format: `name{label="value",...} value [timestamp]`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

// A metric name, an optional label set, a value; an optional timestamp after it is ignored.
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?\s*$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/gy;

/**
 * Reads a service's /metrics (Prometheus text format 0.0.4). prom-client writes this format but
 * has no parser, and the parsers on npm are small, unmaintained packages: this is the part of the
 * format the console needs (comments skipped, escaped label values, NaN and ±Inf values).
 * A line that is not a sample is an error: a page that is not metrics should not read as zeros.
 */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = SAMPLE.exec(line);
    const value = match ? parseValue(match[3]) : undefined;
    const labels = match ? parseLabels(match[2] ?? '') : undefined;
    if (!match || value === undefined || !labels) throw new Error(`line ${index + 1} is not a Prometheus sample: ${line.slice(0, 120)}`);
    samples.push({ name: match[1], labels, value });
  });
  return samples;
}

/** A sample value; NaN and ±Inf in any case, as Prometheus reads them (prom-client writes NaN as `Nan`). */
function parseValue(text: string): number | undefined {
  const special = text.toLowerCase();
  if (special === '+inf' || special === 'inf') return Infinity;
  if (special === '-inf') return -Infinity;
  if (special === 'nan') return NaN;
  const n = Number(text);
  return text !== '' && !Number.isNaN(n) ? n : undefined;
}

function parseLabels(text: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const start = LABEL.lastIndex;
    const m = LABEL.exec(text);
    if (!m || LABEL.lastIndex === start) return text.slice(start).trim() === '' ? labels : undefined;
    labels[m[1]] = m[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

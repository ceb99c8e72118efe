import { z } from 'zod';

/** An unpaired UTF-16 surrogate: not Unicode text, so it has no UTF-8 encoding. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** No NUL character: the control character is the point here. */
// eslint-disable-next-line no-control-regex
const NO_NUL = /^[^\u0000]*$/;
/** What String.prototype.trim() removes (ECMAScript WhiteSpace and LineTerminator), plus NUL. */
const BLANK = '\\u0000\\t\\n\\u000b\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

/**
 * A string input that Postgres can store: without NUL and without an unpaired surrogate. Either
 * would reach the database and fail there, as a 500; refused here, it is a 400 naming the field.
 * The document says "no NUL" as a pattern (JSON Schema cannot say "well-formed").
 */
export function storableString(schema: z.ZodString = z.string()): z.ZodString {
  return schema.regex(NO_NUL, 'must not contain NUL (U+0000)').refine((s) => !LONE_SURROGATE.test(s), 'must be well-formed Unicode (it has an unpaired surrogate)');
}

/**
 * Free text that is not blank, up to `max` characters, stored trimmed: every check runs on the
 * text as sent, so the document's pattern and maxLength say exactly what is accepted.
 */
export function nonBlankText(max: number): z.ZodString {
  return storableString(z.string().max(max).regex(new RegExp(`^[^\\u0000]*[^${BLANK}][^\\u0000]*$`), 'must not be blank')).trim();
}

import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

/**
 * Parses request input with a zod schema, or answers 400 REQUEST.INVALID listing every problem
 * as `{ field, message }` (problem+json `errors`). Used instead of a global pipe so each
 * controller states which schema guards which input.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what = 'request body'): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(root)', message: issue.message }));
  throw new BadRequestException({
    code: 'REQUEST.INVALID',
    message: `invalid ${what}: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
    errors,
  });
}

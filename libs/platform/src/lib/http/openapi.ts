import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

/**
 * The OpenAPI 3.0 schema of a zod schema, so one schema both validates (or shapes) the data and
 * documents it. `input` describes what a client sends (before transforms such as a query
 * string's number), `output` what the server answers.
 */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): SchemaObject {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as SchemaObject;
}

/** RFC 9457 problem details as ProblemDetailsFilter writes them (extension members allowed). */
export const problemDetailsSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    instance: z.string(),
    code: z.string().describe('stable error code, e.g. REQUEST.INVALID or ORDER.CANNOT_CANCEL'),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional().describe('REQUEST.INVALID: every problem found'),
  })
  .meta({ title: 'Problem' });

/** Documents error answers: application/problem+json with the Problem schema, one entry per status. */
export function ApiProblemResponses(...answers: Array<[status: number, description: string]>) {
  const schema = openApiSchema(problemDetailsSchema);
  return applyDecorators(
    ...answers.map(([status, description]) => ApiResponse({ status, description, content: { 'application/problem+json': { schema } } })),
  );
}

/** Documents a JSON answer with the schema of the zod schema that shapes it. */
export function ApiJsonResponse(status: number, description: string, schema: z.ZodType) {
  return ApiResponse({ status, description, content: { 'application/json': { schema: openApiSchema(schema) } } });
}

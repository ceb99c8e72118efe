/**
 * TypeScript types from an OpenAPI 3.0 document, in the shape openapi-typescript gives them
 * (`paths[path][method]['responses'][status]['content'][mediaType]`, request bodies likewise), so
 * that the console's types of the order and inventory APIs are generated from their committed
 * documents and swapping in openapi-typescript later changes no reader. It covers the part of JSON
 * Schema their documents use and throws on anything else rather than guess; parameters are left out (the
 * console builds its query strings by hand). Not part of the library's API: `npm run order:openapi`,
 * `npm run inventory:openapi` and openapi-types.spec.ts use it.
 */
import { resolve } from 'node:path';

/** The order API's committed document, and the console's types generated from it. */
export const ORDER_API_DOCUMENT = resolve(__dirname, '../../../../apps/order/openapi.json');
export const ORDER_API_TYPES = resolve(__dirname, 'order-api.generated.ts');

/** The inventory admin API's committed document, and the console's types generated from it. */
export const INVENTORY_API_DOCUMENT = resolve(__dirname, '../../../../apps/inventory/openapi.json');
export const INVENTORY_API_TYPES = resolve(__dirname, 'inventory-api.generated.ts');

export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  nullable?: boolean;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
  /** Bounds, formats, documentation: checked by schemaType, not typed. */
  [keyword: string]: unknown;
}

interface Content {
  content?: Record<string, { schema?: JsonSchema }>;
}

interface Operation {
  requestBody?: Content & { required?: boolean };
  responses?: Record<string, Content>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Keywords that only constrain values (bounds, formats, documentation): no type says them. */
const NOT_TYPED = new Set(['title', 'description', 'example', 'examples', 'default', 'format', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'propertyNames', 'readOnly', 'writeOnly', 'deprecated']);
const TYPED = new Set(['type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'nullable', 'allOf', 'anyOf', 'oneOf', '$ref']);

const key = (name: string) => (/^([A-Za-z_$][A-Za-z0-9_$]*|[1-9][0-9]*)$/.test(name) ? name : quote(name));
const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const pad = (depth: number) => '  '.repeat(depth);

/** The type of one JSON Schema, written at `depth` (for the indentation of object members). */
export function schemaType(schema: JsonSchema, depth = 0): string {
  const unknownKeyword = Object.keys(schema).find((k) => !TYPED.has(k) && !NOT_TYPED.has(k));
  if (unknownKeyword) throw new Error(`openapi-types: the keyword ${unknownKeyword} is not supported (schema ${JSON.stringify(schema)})`);
  const type = baseType(schema, depth);
  return schema.nullable && type !== 'unknown' ? `${type} | null` : type;
}

function baseType(schema: JsonSchema, depth: number): string {
  const ref = schema.$ref?.match(/^#\/components\/schemas\/(.+)$/);
  if (schema.$ref) {
    if (!ref) throw new Error(`openapi-types: only references to #/components/schemas are supported, not ${schema.$ref}`);
    return `components['schemas'][${quote(ref[1])}]`;
  }
  if (schema.enum) return schema.enum.map((value) => (typeof value === 'string' ? quote(value) : JSON.stringify(value))).join(' | ');
  if (schema.allOf) return schema.allOf.map((s) => wrap(schemaType(s, depth))).join(' & ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map((s) => wrap(schemaType(s, depth))).join(' | ');
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return `${wrap(schemaType(schema.items ?? {}, depth))}[]`;
    case 'object':
      return objectType(schema, depth);
    case undefined:
      return schema.properties ? objectType(schema, depth) : 'unknown';
    default:
      throw new Error(`openapi-types: the type ${schema.type} is not supported`);
  }
}

function objectType(schema: JsonSchema, depth: number): string {
  const required = new Set(schema.required ?? []);
  const members = Object.entries(schema.properties ?? {}).map(([name, property]) => `${pad(depth + 1)}${key(name)}${required.has(name) ? '' : '?'}: ${schemaType(property, depth + 1)};`);
  const extra = schema.additionalProperties;
  // Absent means "not said": like openapi-typescript, no index signature then.
  if (extra === true || (typeof extra === 'object' && Object.keys(extra).length === 0)) members.push(`${pad(depth + 1)}[key: string]: unknown;`);
  else if (typeof extra === 'object') members.push(`${pad(depth + 1)}[key: string]: ${schemaType(extra, depth + 1)};`);
  return members.length === 0 ? 'Record<string, never>' : `{\n${members.join('\n')}\n${pad(depth)}}`;
}

/** Parenthesised when it is a union or intersection outside any braces (as an array's item type or a member of an intersection). */
function wrap(type: string): string {
  let depth = 0;
  for (const c of type) {
    if (c === '{' || c === '(') depth++;
    else if (c === '}' || c === ')') depth--;
    else if (depth === 0 && (c === '|' || c === '&')) return `(${type})`;
  }
  return type;
}

function contentType(content: Content, depth: number): string {
  const media = Object.entries(content.content ?? {});
  if (media.length === 0) return '{\n' + `${pad(depth + 1)}content?: never;\n${pad(depth)}}`;
  const lines = media.map(([mediaType, { schema }]) => `${pad(depth + 2)}${quote(mediaType)}: ${schemaType(schema ?? {}, depth + 2)};`);
  return `{\n${pad(depth + 1)}content: {\n${lines.join('\n')}\n${pad(depth + 1)}};\n${pad(depth)}}`;
}

function operationType(operation: Operation, depth: number): string {
  const members: string[] = [];
  if (operation.requestBody) members.push(`${pad(depth + 1)}requestBody${operation.requestBody.required ? '' : '?'}: ${contentType(operation.requestBody, depth + 1)};`);
  const responses = Object.entries(operation.responses ?? {}).map(([status, response]) => `${pad(depth + 2)}${key(status)}: ${contentType(response, depth + 2)};`);
  members.push(`${pad(depth + 1)}responses: {\n${responses.join('\n')}\n${pad(depth + 1)}};`);
  return `{\n${members.join('\n')}\n${pad(depth)}}`;
}

/** The module text: `paths` and `components`, preceded by a line naming the document and the command that wrote it. */
export function renderOpenApiTypes(document: OpenApiDocument, header: string): string {
  const paths = Object.entries(document.paths).map(([path, item]) => {
    const operations = METHODS.filter((m) => item[m]).map((m) => `    ${m}: ${operationType(item[m], 2)};`);
    return `  ${quote(path)}: {\n${operations.join('\n')}\n  };`;
  });
  const schemas = Object.entries(document.components?.schemas ?? {}).map(([name, schema]) => `    ${key(name)}: ${schemaType(schema, 2)};`);
  return [
    header,
    '',
    `export interface paths {\n${paths.join('\n')}\n}`,
    '',
    `export interface components {\n  schemas: ${schemas.length === 0 ? 'Record<string, never>;' : `{\n${schemas.join('\n')}\n  };`}\n}`,
    '',
  ].join('\n');
}

/** The text of ORDER_API_TYPES for the order API's document. */
export function orderApiTypes(document: OpenApiDocument): string {
  return renderOpenApiTypes(document, '// Generated from apps/order/openapi.json by `npm run order:openapi` (see openapi-types.ts): do not edit.');
}

/** The text of INVENTORY_API_TYPES for the inventory admin API's document. */
export function inventoryApiTypes(document: OpenApiDocument): string {
  return renderOpenApiTypes(document, '// Generated from apps/inventory/openapi.json by `npm run inventory:openapi` (see openapi-types.ts): do not edit.');
}

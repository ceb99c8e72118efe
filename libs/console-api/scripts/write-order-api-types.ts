// Part of `npm run order:openapi`: writes the console's types of the order API from its committed document.
import { readFileSync, writeFileSync } from 'node:fs';
import { ORDER_API_DOCUMENT, ORDER_API_TYPES, orderApiTypes } from '../src/lib/openapi-types';

writeFileSync(ORDER_API_TYPES, orderApiTypes(JSON.parse(readFileSync(ORDER_API_DOCUMENT, 'utf8'))));
console.log(`wrote ${ORDER_API_TYPES}`);

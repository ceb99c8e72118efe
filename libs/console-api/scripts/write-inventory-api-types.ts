// Part of `npm run inventory:openapi`: writes the console's types of the inventory admin API from its committed document.
import { readFileSync, writeFileSync } from 'node:fs';
import { INVENTORY_API_DOCUMENT, INVENTORY_API_TYPES, inventoryApiTypes } from '../src/lib/openapi-types';

writeFileSync(INVENTORY_API_TYPES, inventoryApiTypes(JSON.parse(readFileSync(INVENTORY_API_DOCUMENT, 'utf8'))));
console.log(`wrote ${INVENTORY_API_TYPES}`);

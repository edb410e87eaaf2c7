// `npm run docs:config`: writes docs/configuration.md from the zod schemas (src/config/reference.ts).
import { writeFileSync } from 'node:fs';
import { CONFIGURATION_REFERENCE_PATH, renderConfigurationReference } from '../dist/config/reference.js';

writeFileSync(CONFIGURATION_REFERENCE_PATH, renderConfigurationReference());
console.log(`wrote ${CONFIGURATION_REFERENCE_PATH}`);

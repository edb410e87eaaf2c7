export { englishCatalog, message, placeholdersOf, wordList, type Catalog } from './catalog.js';
export { parseCatalog, type CatalogLoad } from './parse-catalog.js';

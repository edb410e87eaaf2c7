import { describeStorageContract } from './storage-contract.js';
import { freshStorage } from '../postgres/fresh-storage.js';

// When branch async's contract is merged, import describeStorageContract from './storage-contract.js' instead.
describeStorageContract('PostgreSQL', freshStorage());

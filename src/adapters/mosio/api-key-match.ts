import { createHash, timingSafeEqual } from 'node:crypto';
import type { ProjectConfig } from '../../config/projects.js';

/**
 * The project whose Mosio API key equals `given`, compared in constant time. Hashing first gives
 * equal lengths; every project is compared, so the time does not say which one (or whether any) matched.
 */
export function projectForApiKey(projects: readonly ProjectConfig[], given: string): ProjectConfig | undefined {
  const digest = sha256(given);
  let match: ProjectConfig | undefined;
  for (const project of projects) {
    const key = project.sender.mosio?.apiKey;
    if (key === undefined) continue;
    if (timingSafeEqual(digest, sha256(key)) && match === undefined) match = project;
  }
  return match;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

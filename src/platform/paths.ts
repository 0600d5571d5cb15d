/**
 * Where the package's own files are (migrations/, dist/web/, src/seed/, node_modules/.cache/),
 * found from this module's location by walking up to Frontdesk's package.json. One answer
 * whether the code runs from src/ through tsx or from the prebuilt bundle in dist/server/
 * (scripts/build-server.ts), whose modules sit at another depth.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'frontdesk'
    )
      return dir;
    if (dirname(dir) === dir) throw new Error(`no Frontdesk package.json above ${from}`);
  }
}

/** The folder holding Frontdesk's package.json. */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the package, e.g. `packagePath('migrations')`. */
export const packagePath = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);

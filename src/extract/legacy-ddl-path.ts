import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigurationError } from '../core/errors';

/**
 * `migrations/legacy/<file>` of this package: walks up from here to the folder holding
 * package.json, so it resolves from `src/` under jest and from `dist/src/` after `tsc`.
 */
export function legacyDdlPath(file: string, from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'migrations', 'legacy', file);
    if (dirname(dir) === dir) {
      throw new ConfigurationError(`cannot find the package root above ${from} to read migrations/legacy/${file}`);
    }
  }
}

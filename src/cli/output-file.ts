import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../core/errors';

/** Writes `--out`; a folder that does not exist is a usage error naming it, not a raw ENOENT. */
export function writeOutputFile(path: string, text: string): void {
  const folder = dirname(resolve(path));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new UsageError(`--out ${path}: the folder ${folder} does not exist`);
  }
  writeFileSync(path, text);
}

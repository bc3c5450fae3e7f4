import { readFile } from 'node:fs/promises';
import type { MssqlQueryable } from './query';
import { execute } from './query';

/** T-SQL batches of a script: `GO` alone on a line separates them, as sqlcmd does. */
export function splitBatches(script: string): string[] {
  return script
    .split(/^\s*GO\s*(?:--.*)?$/gim)
    .map((batch) => batch.trim())
    .filter((batch) => batch.replace(/--.*$/gm, '').trim() !== '');
}

export async function applyDdl(db: MssqlQueryable, path: string): Promise<void> {
  for (const batch of splitBatches(await readFile(path, 'utf8'))) await execute(db, { sql: batch, params: [] });
}

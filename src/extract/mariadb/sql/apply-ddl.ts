import { readFile } from 'node:fs/promises';
import type { MariaDbQueryable } from './query';

/** Runs a DDL file as one multi-statement query (the connection must allow multipleStatements). */
export async function applyDdl(db: MariaDbQueryable, path: string): Promise<void> {
  await db.query(await readFile(path, 'utf8'));
}

import type { Knex } from 'knex';
import type { Wave } from './load-records';
import { toWave } from './wave-rows';

/** The wave with this name (or this id, given a number), or undefined. */
export async function findWave(db: Knex, nameOrId: string | number): Promise<Wave | undefined> {
  const where = typeof nameOrId === 'number' ? { id: String(nameOrId) } : { name: nameOrId };
  const row = await db('migration.waves').first('*').where(where);
  return row ? toWave(row) : undefined;
}

import type { Knex } from 'knex';
import type { Seller } from './load-records';

/** The active sellers, by country: the lookup transform links buyers and licensees with. */
export async function readSellers(db: Knex): Promise<Seller[]> {
  const rows = await db('marketplace.sellers')
    .select('id', 'external_id', 'name', 'country', 'currencies', 'status')
    .where({ status: 'Active' })
    .orderBy('country');
  return rows.map(
    (row: {
      id: string;
      external_id: string;
      name: string;
      country: string;
      currencies: string[];
      status: string;
    }) => ({
      id: row.id,
      externalId: row.external_id,
      name: row.name,
      country: row.country.trim(),
      currencies: row.currencies,
      status: row.status,
    }),
  );
}

import type { Knex } from 'knex';
import type { LegacyCustomer } from '../../src/core/legacy-model';
import { readIdMap } from '../../src/load';
import { customersKeptOut } from '../../src/transform';

/**
 * Of these customers, those kept out of the marketplace now (soft-deleted, duplicate tenant)
 * that have a licensee from before (id_map): they keep it, `Deleted` (transformCustomers).
 */
export async function readMigratedCustomers(target: Knex, customers: LegacyCustomer[]): Promise<Set<number>> {
  const keptOut = customersKeptOut(customers);
  if (keptOut.length === 0) return new Set();
  const mapped = await readIdMap(target, 'customer', keptOut.map(String));
  return new Set([...mapped.keys()].map(Number));
}

import type { Knex } from 'knex';
import { eventKeys } from '../event-key';

/**
 * Those of the partners whose announcement banner (`PortalMode = MigrationScheduled`) is in the
 * outbox: their cutover's first portal write must wait for it.
 */
export async function readAnnouncedPartners(db: Knex, partnerIds: number[]): Promise<Set<number>> {
  const keys = partnerIds.map((partnerId) => eventKeys.portalMode(partnerId, 'MigrationScheduled'));
  const rows = await db('migration.outbox').select('legacy_partner_id').whereIn('event_key', keys);
  return new Set(rows.map((row: { legacy_partner_id: number }) => Number(row.legacy_partner_id)));
}

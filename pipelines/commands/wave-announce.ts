import { UsageError } from '../../src/core/errors';
import { findWave, listWavePartners, movePartners, withLoadTransaction } from '../../src/load';
import { eventKeys, insertOutboxEvents, type OutboxEvent } from '../../src/notify';
import { normaliseEmail } from '../../src/transform';
import type { Services } from '../services';
import { languageOfCountry } from './partner-language';

export interface AnnounceResult {
  /** Partners moved from `planned` to `notified` by this call. */
  announced: number;
  /** Partners of the wave that were not `planned` (announced before, or further on): left alone. */
  skipped: number;
  /** `migration-scheduled` notices recorded in the outbox by this call. */
  notices: number;
}

/** Partners announced per transaction. */
const CHUNK = 200;

/**
 * Announces a wave's planned partners: for each, `PortalMode = MigrationScheduled` and a
 * `migration-scheduled` notice to each active user with a valid address, recorded in the outbox
 * in the transaction that moves the partner to `notified`. A closed partner gets neither. A
 * partner already past `planned` is left alone, so announcing twice records nothing more.
 */
export async function announceWave(services: Services, waveName: string): Promise<AnnounceResult> {
  const { target, source, config } = services;
  const wave = await findWave(target, waveName);
  if (!wave)
    throw new UsageError(`no wave named "${waveName}"; create it with \`ppm wave plan ${waveName} --count N\``);
  const partners = await listWavePartners(target, wave.id);
  const planned = partners.filter((partner) => partner.state === 'planned').map((partner) => partner.legacy_partner_id);
  const result: AnnounceResult = { announced: 0, skipped: partners.length - planned.length, notices: 0 };
  if (planned.length === 0) return result;
  const watermark = await source.watermark();
  for (let start = 0; start < planned.length; start += CHUNK) {
    const ids = planned.slice(start, start + CHUNK);
    const rows = await source.readAccountRows(ids, watermark, config.BATCH_SIZE);
    const events: OutboxEvent[] = [];
    for (const partner of rows.partners) {
      if (partner.Status.trim().toLowerCase() === 'closed') continue;
      const partnerId = partner.PartnerId;
      const banner = eventKeys.portalMode(partnerId, 'MigrationScheduled');
      events.push({
        eventKey: banner,
        kind: 'portal-mode',
        queue: 'portal',
        partnerId,
        waveId: wave.id,
        payload: { v: 1, eventKey: banner, partnerId, mode: 'MigrationScheduled' },
      });
      const seen = new Set<string>();
      for (const user of rows.users.filter((u) => u.PartnerId === partnerId && u.IsActive)) {
        const email = normaliseEmail(user.Email);
        if (!email.ok || seen.has(email.value)) continue;
        seen.add(email.value);
        const eventKey = eventKeys.migrationScheduled(partnerId, user.UserId);
        events.push({
          eventKey,
          kind: 'migration-scheduled',
          queue: 'notifications',
          partnerId,
          waveId: wave.id,
          afterEventKey: banner,
          payload: {
            v: 1,
            eventKey,
            kind: 'migration-scheduled',
            partnerId,
            partnerName: partner.CompanyName.trim(),
            accountId: null,
            mpnId: partner.MpnId?.trim() || null,
            language: languageOfCountry(partner.CountryCode),
            legacyUserId: user.UserId,
            accountUserId: null,
            recipient: {
              email: email.value,
              firstName: user.FirstName?.trim() ?? '',
              lastName: user.LastName?.trim() ?? '',
            },
          },
        });
      }
    }
    await withLoadTransaction(target, async (trx) => {
      await insertOutboxEvents(trx, events);
      const moved = await movePartners(trx, wave.id, ids, 'planned', 'notified');
      result.announced += moved.length;
    });
    result.notices += events.filter((event) => event.kind === 'migration-scheduled').length;
  }
  return result;
}

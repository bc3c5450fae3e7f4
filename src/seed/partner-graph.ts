import { BillingMonth } from './billing-month';
import type { ChunkSink } from './chunk-sink';
import { writeCustomers } from './customer-rows';
import { DIRTY_RATES } from './dirty-rates';
import { writeOrder } from './order-rows';
import type { PartnerContext } from './partner-context';
import type { PartnerProfile } from './partner-profile';
import { writePartner } from './partner-row';
import type { PortalIds } from './portal-ids';
import { Prng } from './prng';
import { nextDstTransition } from './random-times';
import type { SeedChunk } from './seed-types';
import { writeUsers } from './user-rows';
import { HOUR_MS } from './wall-clock';

/** Order times bunch towards the recent years (x^0.8 of an even spread): the portal grew. */
const GROWTH_EXPONENT = 0.8;

/**
 * Generates one partner's whole record graph (partner, users, customers, then orders in
 * OrderDate order with their lines and the monthly invoices) into the sink, yielding the
 * chunks released as it goes, so a very large partner never sits in memory.
 */
export function* writePartnerGraph(
  profile: PartnerProfile,
  seed: number,
  ids: PortalIds,
  sink: ChunkSink,
  sharedEmails: readonly string[],
): Generator<SeedChunk> {
  const rng = new Prng(seed, profile.index * 4 + 2);
  const partnerId = ++ids.partner;
  const partner = writePartner(profile, partnerId, rng);
  sink.push('Partners', partner.row);
  const users = writeUsers(profile, partnerId, () => ++ids.user, partner.domain, sharedEmails, rng);
  for (const row of users) sink.push('PartnerUsers', row);
  const customers = writeCustomers(profile, partnerId, () => ++ids.customer, partner.country, rng);
  for (const row of customers.rows) sink.push('Customers', row);
  yield* sink.drain();

  const ctx: PartnerContext = {
    rng,
    ids,
    sink,
    profile,
    partnerId,
    currencyWritten: partner.currencyWritten,
    priceCurrency: partner.priceCurrency,
    taxRate: partner.taxRate,
    userEmails: users.map((row) => row.Email as string),
    customers: customers.customers,
    missingCustomerId: customers.missingCustomerId,
  };
  const billing = new BillingMonth(ctx);
  const span = profile.endMs - profile.startMs;
  let previousMs = profile.startMs - 1000;
  for (let k = 0; k < profile.orders; k++) {
    let wallMs =
      Math.floor((profile.startMs + span * ((k + rng.next()) / profile.orders) ** GROWTH_EXPONENT) / 1000) * 1000;
    const transition = nextDstTransition(previousMs);
    if (transition + HOUR_MS <= wallMs && rng.chance(DIRTY_RATES.order.dstAtTransition)) {
      // Orders placed in the hour that the clock skips or repeats.
      wallMs = transition + rng.int(0, 3599) * 1000;
    }
    billing.moveTo(wallMs);
    writeOrder(ctx, wallMs, billing);
    previousMs = wallMs;
    yield* sink.drain();
  }
  billing.close();
  yield* sink.drain();
}

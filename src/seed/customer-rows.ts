import {
  CITIES,
  COMPANY_SUFFIXES,
  COMPANY_WORDS,
  DEFAULT_CITIES,
  INVALID_COUNTRIES,
  LEGAL_FORMS,
  NO_SELLER_COUNTRIES,
  SELLER_COUNTRIES,
  asciiSlug,
} from './catalog';
import { DIRTY_RATES } from './dirty-rates';
import { unusualCompanyName, writeEmail, writeGuid, writeText } from './dirty-values';
import type { CustomerState } from './partner-context';
import type { PartnerProfile } from './partner-profile';
import type { Prng } from './prng';
import { dstTransitionTime, modifiedAfter, writeDateTime } from './random-times';
import type { SeedRow } from './seed-types';
import { DAY_MS, formatWallClock } from './wall-clock';

/** The Customers rows of one partner and their state for the orders that follow. */
export interface WrittenCustomers {
  rows: SeedRow[];
  customers: CustomerState[];
  missingCustomerId: number;
}

/**
 * Builds every customer of a partner at once (at most a few thousand) so that a tenant reused
 * by a later customer can soft-delete the earlier one, as the portal's "re-create" did.
 */
export function writeCustomers(
  profile: PartnerProfile,
  partnerId: number,
  nextCustomerId: () => number,
  country: string,
  rng: Prng,
): WrittenCustomers {
  const rates = DIRTY_RATES.customer;
  const rows: SeedRow[] = [];
  const customers: CustomerState[] = [];
  const tenants: (string | null)[] = [];
  const span = profile.endMs - profile.startMs;
  let missingCustomerId = 0;
  for (let i = 0; i < profile.customers; i++) {
    if (i === Math.floor(profile.customers / 2)) missingCustomerId = nextCustomerId();
    const id = nextCustomerId();
    const createdMs =
      Math.floor((profile.startMs + span * 0.9 * ((i + rng.next()) / profile.customers) ** 1.3) / 1000) * 1000;
    const word = rng.pick(COMPANY_WORDS);
    const name = rng.chance(0.01)
      ? unusualCompanyName(rng)
      : `${word} ${rng.pick(COMPANY_SUFFIXES)} ${rng.pick(LEGAL_FORMS)}`;
    const domain = `${asciiSlug(word)}${id}`;

    let tenant: string | null = rng.chance(rates.tenantNull) ? null : rng.guid();
    let deleted = rng.chance(rates.softDeleted);
    const earlier = i > 0 ? rng.int(0, i - 1) : -1;
    if (earlier >= 0 && tenants[earlier] !== null && rng.chance(rates.sameTenant)) {
      tenant = tenants[earlier];
      if (!rng.chance(rates.sameTenantBothLive)) {
        // The portal re-created the customer: one of the two rows is the soft-deleted leftover.
        if (rng.chance(0.5)) deleted = true;
        else {
          deleted = false;
          customers[earlier].deleted = true;
          rows[earlier].IsDeleted = 1;
        }
      }
    }
    tenants.push(tenant);

    const createdAt = rng.chance(rates.createdAtDst)
      ? formatWallClock(dstTransitionTime(rng, profile.startMs, profile.endMs))
      : writeDateTime(rng, createdMs, rates.createdAtSentinel);
    rows.push({
      CustomerId: id,
      PartnerId: partnerId,
      CustomerName: writeText(name, rng, 200),
      TenantId: tenant === null ? null : writeGuid(tenant, rng.chance(rates.tenantUpperCase)),
      PrimaryDomain: rng.chance(0.9) ? `${domain}.onmicrosoft.com` : null,
      CountryCode: customerCountry(country, rng),
      City: rng.chance(0.9) ? writeText(rng.pick(CITIES[country] ?? DEFAULT_CITIES), rng, 100) : null,
      ContactEmail: rng.chance(rates.contactEmailNull)
        ? null
        : writeEmail(rng.pick(['it', 'admin', 'licensing', 'office']), `${domain}.com`, rng),
      IsDeleted: deleted ? 1 : 0,
      CreatedAt: createdAt,
      ModifiedAtUtc: modifiedAfter(rng, createdMs, 1500 * DAY_MS),
    });
    customers.push({ id, deleted, createdMs, subscriptions: [] });
  }
  return { rows, customers, missingCustomerId };
}

function customerCountry(partnerCountry: string, rng: Prng): string | null {
  const rates = DIRTY_RATES.customer;
  let roll = rng.next();
  if ((roll -= rates.countryNull) < 0) return null;
  if ((roll -= rates.countryUk) < 0) return 'UK';
  if ((roll -= rates.countryLowerCase) < 0) return partnerCountry.toLowerCase();
  if ((roll -= rates.countryInvalid) < 0) return rng.pick(INVALID_COUNTRIES);
  if ((roll -= rates.countryWithoutSeller) < 0) return rng.pick(NO_SELLER_COUNTRIES);
  if ((roll -= 0.1) < 0) return rng.pick(SELLER_COUNTRIES)[0];
  return partnerCountry;
}

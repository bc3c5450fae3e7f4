import { CJK_NAMES, FIRST_NAMES, FIRST_NAME_SLUGS, LAST_NAMES, LAST_NAME_SLUGS } from './catalog';
import { DIRTY_RATES } from './dirty-rates';
import { UNKNOWN_ENUMS, writeEmail, writeEnum, writeText } from './dirty-values';
import type { PartnerProfile } from './partner-profile';
import { cumulative, Prng } from './prng';
import { modifiedAfter, writeLastLogin } from './random-times';
import type { SeedRow } from './seed-types';
import { DAY_MS, ORDERS_END_MS } from './wall-clock';

const ROLES = ['Admin', 'Finance', 'Sales', 'ReadOnly'] as const;
const ROLE_WEIGHTS = cumulative([20, 15, 35, 30]);

/** Addresses of consultants who work for several partners: one person, memberships in many accounts. */
export function sharedAddresses(seed: number): string[] {
  const rng = new Prng(seed, -2);
  return Array.from({ length: 6 }, (_, i) => {
    const slug = FIRST_NAME_SLUGS[rng.int(0, FIRST_NAME_SLUGS.length - 1)];
    return `${slug}.consultant${i + 1}@${rng.pick(['itpro-partners.ch', 'cloudadvisors.de', 'licensing-experts.com'])}`;
  });
}

/** Builds the PartnerUsers rows of one partner: primary users first, shared and duplicate addresses at their rates. */
export function writeUsers(
  profile: PartnerProfile,
  partnerId: number,
  nextUserId: () => number,
  domain: string,
  shared: readonly string[],
  rng: Prng,
): SeedRow[] {
  const rates = DIRTY_RATES.user;
  const rows: SeedRow[] = [];
  const emails: string[] = [];
  const lastSeenMs = Math.min(ORDERS_END_MS, profile.endMs + 90 * DAY_MS);
  for (let i = 0; i < profile.users; i++) {
    const cjk = rng.chance(DIRTY_RATES.text.cjk);
    const first = rng.int(0, FIRST_NAMES.length - 1);
    const last = rng.int(0, LAST_NAMES.length - 1);
    const [firstName, lastName] = cjk ? rng.pick(CJK_NAMES) : [FIRST_NAMES[first], LAST_NAMES[last]];
    let email: string;
    const emailRoll = rng.next();
    if (i > 0 && emailRoll < rates.duplicateInPartner) {
      const earlier = rng.pick(emails);
      email = rng.chance(0.5) ? earlier.toUpperCase() : earlier;
    } else if (emailRoll < rates.duplicateInPartner + rates.sharedAcrossPartners) {
      const address = rng.pick(shared);
      email = rng.chance(0.4) ? address.replace(/^./, (letter) => letter.toUpperCase()) : address;
    } else {
      const local = rng.chance(0.7)
        ? `${FIRST_NAME_SLUGS[first]}.${LAST_NAME_SLUGS[last]}`
        : `${FIRST_NAME_SLUGS[first][0]}${LAST_NAME_SLUGS[last]}`;
      email = writeEmail(local, domain, rng);
    }
    emails.push(email);
    const primary = i < profile.primaryUsers;
    rows.push({
      UserId: nextUserId(),
      PartnerId: partnerId,
      Email: email,
      FirstName: rng.chance(0.97) ? writeText(firstName, rng, 100) : null,
      LastName: rng.chance(0.97) ? writeText(lastName, rng, 100) : null,
      Role: writeEnum(ROLES[rng.weighted(ROLE_WEIGHTS)], rng, rates.roleVariant, rates.unknownRole, UNKNOWN_ENUMS.role)
        .raw,
      IsPrimary: primary ? 1 : 0,
      IsActive: !primary && rng.chance(rates.inactive) ? 0 : 1,
      LastLoginAt: writeLastLogin(rng, profile.startMs, lastSeenMs),
      ModifiedAtUtc: modifiedAfter(rng, profile.startMs, 2000 * DAY_MS),
    });
  }
  return rows;
}

import type { Product } from './catalog';
import type { ChunkSink } from './chunk-sink';
import type { PartnerProfile } from './partner-profile';
import type { PortalIds } from './portal-ids';
import type { Prng } from './prng';

/** A subscription as the portal's completed orders left it (what a later order can change). */
export interface SubscriptionState {
  ref: string;
  product: Product;
  frequency: 'Monthly' | 'Annual';
  termMonths: number | null;
  quantity: number;
}

/** A customer of the partner being generated, with the subscriptions its completed orders created. */
export interface CustomerState {
  id: number;
  deleted: boolean;
  createdMs: number;
  subscriptions: SubscriptionState[];
}

/** Most subscriptions remembered per customer; older ones simply stop receiving changes (bounds memory). */
export const MAX_SUBSCRIPTIONS_PER_CUSTOMER = 12;

/** What the rows of one partner share while they are generated. */
export interface PartnerContext {
  rng: Prng;
  ids: PortalIds;
  sink: ChunkSink;
  profile: PartnerProfile;
  partnerId: number;
  /** The partner's currency as written on its row, and the ISO code its prices are in. */
  currencyWritten: string;
  priceCurrency: string;
  /** VAT in hundredths of a percent. */
  taxRate: number;
  /** Users' e-mail addresses as written (orders name their creator by it). */
  userEmails: string[];
  customers: CustomerState[];
  /** A customer id that was never inserted (a hard-deleted customer): orders pointing at it are orphans. */
  missingCustomerId: number;
}

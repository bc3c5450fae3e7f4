import type { Knex } from 'knex';
import { touchUpdatedAt } from './triggers';

/** The sellers the project ships (MAPPING.md): position in this list gives the id, fixed forever. */
export const SELLER_COUNTRIES: ReadonlyArray<{ country: string; name: string; currency: string }> = [
  { country: 'AT', name: 'SoftwareOne Austria', currency: 'EUR' },
  { country: 'AU', name: 'SoftwareOne Australia', currency: 'AUD' },
  { country: 'BE', name: 'SoftwareOne Belgium', currency: 'EUR' },
  { country: 'BR', name: 'SoftwareOne Brazil', currency: 'BRL' },
  { country: 'CA', name: 'SoftwareOne Canada', currency: 'CAD' },
  { country: 'CH', name: 'SoftwareOne Switzerland', currency: 'CHF' },
  { country: 'DE', name: 'SoftwareOne Germany', currency: 'EUR' },
  { country: 'DK', name: 'SoftwareOne Denmark', currency: 'DKK' },
  { country: 'ES', name: 'SoftwareOne Spain', currency: 'EUR' },
  { country: 'FI', name: 'SoftwareOne Finland', currency: 'EUR' },
  { country: 'FR', name: 'SoftwareOne France', currency: 'EUR' },
  { country: 'GB', name: 'SoftwareOne United Kingdom', currency: 'GBP' },
  { country: 'IE', name: 'SoftwareOne Ireland', currency: 'EUR' },
  { country: 'IN', name: 'SoftwareOne India', currency: 'INR' },
  { country: 'IT', name: 'SoftwareOne Italy', currency: 'EUR' },
  { country: 'JP', name: 'SoftwareOne Japan', currency: 'JPY' },
  { country: 'MX', name: 'SoftwareOne Mexico', currency: 'MXN' },
  { country: 'NL', name: 'SoftwareOne Netherlands', currency: 'EUR' },
  { country: 'NO', name: 'SoftwareOne Norway', currency: 'NOK' },
  { country: 'PL', name: 'SoftwareOne Poland', currency: 'PLN' },
  { country: 'PT', name: 'SoftwareOne Portugal', currency: 'EUR' },
  { country: 'SE', name: 'SoftwareOne Sweden', currency: 'SEK' },
  { country: 'SG', name: 'SoftwareOne Singapore', currency: 'SGD' },
  { country: 'US', name: 'SoftwareOne United States', currency: 'USD' },
  { country: 'ZA', name: 'SoftwareOne South Africa', currency: 'ZAR' },
];

/** `SEL-0000-0000-0000-00NN`, NN the 1-based position in SELLER_COUNTRIES. */
export function sellerId(position: number): string {
  const digits = String(position).padStart(16, '0');
  return `SEL-${digits.slice(0, 4)}-${digits.slice(4, 8)}-${digits.slice(8, 12)}-${digits.slice(12)}`;
}

const TABLES = ['sellers', 'accounts', 'buyers', 'licensees', 'users', 'account_users', 'agreements', 'subscriptions'];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
CREATE TABLE marketplace.sellers (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  external_id  text NOT NULL UNIQUE,
  country      char(2) NOT NULL UNIQUE,
  currencies   text[] NOT NULL,
  status       text NOT NULL DEFAULT 'Active',
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE marketplace.accounts (
  id                 text PRIMARY KEY,
  legacy_partner_id  int NOT NULL UNIQUE,
  type               text NOT NULL CHECK (type IN ('Client')),
  name               text NOT NULL,
  status             text NOT NULL CHECK (status IN ('Active', 'Disabled')),
  partner            boolean NOT NULL,
  external_id        text NOT NULL UNIQUE,
  mpn_id             text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE marketplace.buyers (
  id                 text PRIMARY KEY,
  legacy_partner_id  int NOT NULL UNIQUE,
  account_id         text NOT NULL REFERENCES marketplace.accounts (id),
  seller_id          text NOT NULL REFERENCES marketplace.sellers (id),
  name               text NOT NULL,
  tax_id             text,
  address_line1      text,
  city               text,
  post_code          text,
  country            char(2) NOT NULL,
  currency           char(3) NOT NULL,
  contact_email      text,
  status             text NOT NULL CHECK (status IN ('Active', 'Disabled')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX buyers_account_id_idx ON marketplace.buyers (account_id);

CREATE TABLE marketplace.licensees (
  id                  text PRIMARY KEY,
  legacy_customer_id  int NOT NULL UNIQUE,
  account_id          text NOT NULL REFERENCES marketplace.accounts (id),
  buyer_id            text NOT NULL REFERENCES marketplace.buyers (id),
  seller_id           text NOT NULL REFERENCES marketplace.sellers (id),
  name                text NOT NULL,
  resale              boolean NOT NULL,
  external_id         text NOT NULL,
  tenant_id           uuid,
  primary_domain      text,
  country             char(2),
  city                text,
  contact_email       text,
  status              text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX licensees_account_id_idx ON marketplace.licensees (account_id);

CREATE TABLE marketplace.users (
  id                     text PRIMARY KEY,
  email                  text NOT NULL UNIQUE,
  first_name             text,
  last_name              text,
  status                 text NOT NULL,
  source_legacy_user_id  int NOT NULL,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE marketplace.account_users (
  id                     text PRIMARY KEY,
  legacy_user_id         int NOT NULL UNIQUE,
  account_id             text NOT NULL REFERENCES marketplace.accounts (id),
  user_id                text NOT NULL REFERENCES marketplace.users (id),
  group_name             text NOT NULL,
  invitation_status      text NOT NULL CHECK (invitation_status IN ('Invited', 'Active', 'InvitationExpired')),
  invited_at             timestamptz,
  invitation_expires_at  timestamptz,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, user_id)
);
CREATE INDEX account_users_user_id_idx ON marketplace.account_users (user_id);

CREATE TABLE marketplace.agreements (
  id           text PRIMARY KEY,
  account_id   text NOT NULL REFERENCES marketplace.accounts (id),
  buyer_id     text NOT NULL REFERENCES marketplace.buyers (id),
  seller_id    text NOT NULL REFERENCES marketplace.sellers (id),
  licensee_id  text NOT NULL REFERENCES marketplace.licensees (id),
  sku          text NOT NULL,
  name         text NOT NULL,
  status       text NOT NULL CHECK (status IN ('Active', 'Terminated')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (licensee_id, sku)
);
CREATE INDEX agreements_account_id_idx ON marketplace.agreements (account_id);

CREATE TABLE marketplace.subscriptions (
  id                text PRIMARY KEY,
  agreement_id      text NOT NULL REFERENCES marketplace.agreements (id),
  external_ref      text NOT NULL UNIQUE,
  sku               text NOT NULL,
  name              text NOT NULL,
  quantity          int NOT NULL,
  billing_period    text NOT NULL CHECK (billing_period IN ('1m', '1y')),
  term_months       int NOT NULL,
  start_date        date NOT NULL,
  commitment_date   date NOT NULL,
  termination_date  date,
  auto_renew        boolean NOT NULL,
  status            text NOT NULL CHECK (status IN ('Active', 'Terminated')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_agreement_id_idx ON marketplace.subscriptions (agreement_id);
`);
  for (const table of TABLES) await knex.raw(touchUpdatedAt(`marketplace.${table}`));

  const sellers = SELLER_COUNTRIES.map((seller, index) => ({
    id: sellerId(index + 1),
    name: seller.name,
    external_id: `SWO_${seller.country}`,
    country: seller.country,
    currencies: [...new Set([seller.currency, 'EUR', 'USD'])],
    status: 'Active',
  }));
  await knex('marketplace.sellers').insert(sellers).onConflict('id').ignore();
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [...TABLES].reverse()) await knex.raw(`DROP TABLE IF EXISTS marketplace.${table} CASCADE`);
}

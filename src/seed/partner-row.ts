import {
  CITIES,
  COMPANY_SUFFIXES,
  COMPANY_WORDS,
  COUNTRY_MONEY,
  DEFAULT_CITIES,
  INVALID_COUNTRIES,
  INVALID_CURRENCIES,
  LEGAL_FORMS,
  NO_SELLER_COUNTRIES,
  SELLER_COUNTRIES,
  asciiSlug,
} from './catalog';
import { DIRTY_RATES } from './dirty-rates';
import { UNKNOWN_ENUMS, unusualCompanyName, writeEmail, writeEnum, writeText } from './dirty-values';
import type { PartnerProfile } from './partner-profile';
import { cumulative, type Prng } from './prng';
import { modifiedAfter, writeDateTime } from './random-times';
import type { SeedRow } from './seed-types';
import { DAY_MS } from './wall-clock';

const SELLER_WEIGHTS = cumulative(SELLER_COUNTRIES.map(([, weight]) => weight));
const STREETS = [
  'Bahnhofstrasse',
  'Hauptstrasse',
  'Rue du Rhône',
  'Via Nassa',
  'Kingsway',
  'Calle Mayor',
  'Gartenweg',
  'Seefeldstrasse',
  'Avenue de la Gare',
];

/** The partner row and what its other rows need from it. */
export interface WrittenPartner {
  row: SeedRow;
  /** ISO country its prices, cities and VAT follow (GB for 'UK'; CH for an unreadable code). */
  country: string;
  currencyWritten: string;
  priceCurrency: string;
  taxRate: number;
  /** ASCII name for e-mail domains. */
  domain: string;
  companyWord: string;
}

/** Builds the Partners row of a profile (partner-level dirt decided by the profile). */
export function writePartner(profile: PartnerProfile, partnerId: number, rng: Prng): WrittenPartner {
  const rates = DIRTY_RATES.partner;
  const sellerCountry = SELLER_COUNTRIES[rng.weighted(SELLER_WEIGHTS)][0];
  let country = sellerCountry;
  let countryWritten = sellerCountry;
  switch (profile.countryKind) {
    case 'uk':
      country = 'GB';
      countryWritten = 'UK';
      break;
    case 'lowerCase':
      countryWritten = sellerCountry.toLowerCase();
      break;
    case 'invalid':
      country = 'CH';
      countryWritten = rng.pick(INVALID_COUNTRIES);
      break;
    case 'withoutSeller':
      country = rng.pick(NO_SELLER_COUNTRIES);
      countryWritten = country;
      break;
    case 'clean':
      break;
  }
  const money = COUNTRY_MONEY[country];
  let currencyWritten = money.currency;
  switch (profile.currencyKind) {
    case 'lowerCase':
      currencyWritten = money.currency.toLowerCase();
      break;
    case 'mixedCase':
      currencyWritten = money.currency[0] + money.currency.slice(1).toLowerCase();
      break;
    case 'invalid':
      currencyWritten = rng.pick(INVALID_CURRENCIES);
      break;
    case 'clean':
      break;
  }

  const companyWord = rng.pick(COMPANY_WORDS);
  const unusual = rng.chance(0.015);
  const cleanName = unusual
    ? unusualCompanyName(rng)
    : `${companyWord} ${rng.pick(COMPANY_SUFFIXES)} ${rng.pick(LEGAL_FORMS)}`;
  const slug = asciiSlug(companyWord).slice(0, 8) || 'partner';
  const tld = country === 'GB' ? 'co.uk' : ['US', 'CA', 'AE'].includes(country) ? 'com' : country.toLowerCase();
  const domain = `${slug}-${asciiSlug(rng.pick(COMPANY_SUFFIXES))}.${tld}`;

  let code = `${slug.toUpperCase()}-${String(profile.index + 1).padStart(3, '0')}`;
  const codeRoll = rng.next();
  if (codeRoll < rates.codeLowerCase) code = code.toLowerCase();
  else if (codeRoll < rates.codeLowerCase + rates.codeTrailingSpace) code = `${code} `;
  else if (codeRoll < rates.codeLowerCase + rates.codeTrailingSpace + rates.codeLeadingSpace) code = ` ${code}`;

  const status = profile.status
    ? writeEnum(profile.status, rng, rates.statusVariant, 0, UNKNOWN_ENUMS.partnerStatus).raw
    : rng.pick(UNKNOWN_ENUMS.partnerStatus);
  const legalRoll = rng.next();
  const legalName = legalRoll < rates.legalNameEmpty ? (rng.chance(0.5) ? '' : null) : cleanName.trim();
  const createdMs = Math.floor((profile.startMs - rng.int(1, 60) * DAY_MS) / 1000) * 1000;

  const row: SeedRow = {
    PartnerId: partnerId,
    PartnerCode: code,
    CompanyName: writeText(cleanName, rng, 200),
    LegalName: legalName,
    CountryCode: countryWritten,
    CurrencyCode: currencyWritten,
    MpnId: rng.chance(0.9) ? String(rng.int(1_000_000, 6_999_999)) : null,
    TaxId: rng.chance(0.95) ? taxId(country, rng) : null,
    AddressLine1: rng.chance(0.95) ? writeText(`${rng.pick(STREETS)} ${rng.int(1, 220)}`, rng, 200) : null,
    City: writeText(rng.pick(CITIES[country] ?? DEFAULT_CITIES), rng, 100),
    PostalCode: rng.chance(0.97) ? String(rng.int(1000, 99_999)) : null,
    PrimaryEmail: rng.chance(0.95) ? writeEmail(rng.pick(['info', 'office', 'billing', 'contact']), domain, rng) : null,
    Status: status,
    PortalMode: 'Live',
    CreatedAt: writeDateTime(rng, createdMs, rates.createdAtSentinel),
    ModifiedAtUtc: modifiedAfter(rng, createdMs, 3000 * DAY_MS),
  };
  return { row, country, currencyWritten, priceCurrency: money.currency, taxRate: money.taxRate, domain, companyWord };
}

function taxId(country: string, rng: Prng): string {
  const digits = String(rng.int(100_000_000, 999_999_999));
  if (country === 'CH') return `CHE-${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6)} MWST`;
  return `${country}${digits}`;
}

/** Reference data the synthetic portal draws from: products, countries, names. */

/** A product of the portal's price list; prices in EUR money units per seat and month. */
export interface Product {
  sku: string;
  name: string;
  monthlyUnits: number;
  oneTime: boolean;
}

export const PRODUCTS: readonly Product[] = [
  { sku: 'CFQ7TTC0LF8Q:0001', name: 'Microsoft 365 Business Premium', monthlyUnits: 220_000, oneTime: false },
  { sku: 'CFQ7TTC0LDPB:0001', name: 'Microsoft 365 Business Standard', monthlyUnits: 125_000, oneTime: false },
  { sku: 'CFQ7TTC0LH18:0001', name: 'Microsoft 365 Business Basic', monthlyUnits: 60_000, oneTime: false },
  { sku: 'CFQ7TTC0LFLX:0001', name: 'Microsoft 365 E3', monthlyUnits: 360_000, oneTime: false },
  { sku: 'CFQ7TTC0LFK5:0001', name: 'Microsoft 365 E5', monthlyUnits: 570_000, oneTime: false },
  { sku: 'CFQ7TTC0LF8R:0001', name: 'Office 365 E1', monthlyUnits: 100_000, oneTime: false },
  { sku: 'CFQ7TTC0LHSV:0001', name: 'Exchange Online (Plan 1)', monthlyUnits: 40_000, oneTime: false },
  { sku: 'CFQ7TTC0LHXM:0001', name: 'Microsoft Teams Essentials', monthlyUnits: 40_000, oneTime: false },
  { sku: 'CFQ7TTC0LH0R:0001', name: 'Microsoft Defender for Business', monthlyUnits: 30_000, oneTime: false },
  { sku: 'CFQ7TTC0LHWP:0001', name: 'Microsoft Intune Plan 1', monthlyUnits: 75_000, oneTime: false },
  { sku: 'CFQ7TTC0LGTX:0001', name: 'Power BI Pro', monthlyUnits: 95_000, oneTime: false },
  { sku: 'CFQ7TTC0LHT3:0001', name: 'Visio Plan 2', monthlyUnits: 138_000, oneTime: false },
  { sku: 'CFQ7TTC0HDZS:0001', name: 'Project Plan 3', monthlyUnits: 277_000, oneTime: false },
  { sku: 'CFQ7TTC0LFJ8:0002', name: 'Microsoft Entra ID P1', monthlyUnits: 55_000, oneTime: false },
  { sku: 'CFQ7TTC0LCHC:0002', name: 'Dynamics 365 Sales Enterprise', monthlyUnits: 880_000, oneTime: false },
  { sku: 'CFQ7TTC0RM8K:0001', name: 'Microsoft 365 Copilot', monthlyUnits: 282_000, oneTime: false },
  {
    sku: 'DG7GMGF0DVSV:0008',
    name: 'Windows Server 2022 Standard - 16 Core License Pack',
    monthlyUnits: 9_450_000,
    oneTime: true,
  },
  {
    sku: 'DG7GMGF0FKZV:0001',
    name: 'SQL Server 2022 Standard - 2 Core License Pack',
    monthlyUnits: 35_800_000,
    oneTime: true,
  },
  { sku: 'SWO-SETUP-FEE', name: 'Onboarding & tenant setup (one-time)', monthlyUnits: 1_500_000, oneTime: true },
  { sku: 'DG7GMGF0G49X:0002', name: 'Office LTSC Professional Plus 2021', monthlyUnits: 4_990_000, oneTime: true },
];

/** Subscription products and one-time products, for picking. */
export const SUBSCRIPTION_PRODUCTS = PRODUCTS.filter((product) => !product.oneTime);
export const ONE_TIME_PRODUCTS = PRODUCTS.filter((product) => product.oneTime);

/** Countries with a SoftwareOne seller (MAPPING.md), weighted by how many partners they have. */
export const SELLER_COUNTRIES: readonly (readonly [string, number])[] = [
  ['CH', 18],
  ['DE', 18],
  ['AT', 7],
  ['GB', 8],
  ['FR', 6],
  ['NL', 5],
  ['IT', 4],
  ['ES', 4],
  ['BE', 3],
  ['SE', 3],
  ['DK', 2],
  ['NO', 2],
  ['FI', 2],
  ['IE', 2],
  ['PL', 3],
  ['PT', 2],
  ['US', 6],
  ['CA', 2],
  ['AU', 2],
  ['BR', 1],
  ['MX', 1],
  ['IN', 1],
  ['JP', 1],
  ['SG', 1],
  ['ZA', 1],
];

/** Real ISO countries without a SoftwareOne seller. */
export const NO_SELLER_COUNTRIES: readonly string[] = ['LU', 'CZ', 'HU', 'LI', 'AE', 'SK', 'RO'];

/** Country codes that are no ISO 3166-1 alpha-2 code even after trimming and upper-casing. */
export const INVALID_COUNTRIES: readonly string[] = ['XX', '  ', '--', 'EL'];

/** Invalid currency codes seen in the portal. */
export const INVALID_CURRENCIES: readonly string[] = ['EUX', 'SFR', 'US$', 'EU'];

/** The partner's currency and VAT (hundredths of a percent) by country. */
export const COUNTRY_MONEY: Readonly<Record<string, { currency: string; taxRate: number }>> = {
  CH: { currency: 'CHF', taxRate: 810 },
  DE: { currency: 'EUR', taxRate: 1900 },
  AT: { currency: 'EUR', taxRate: 2000 },
  GB: { currency: 'GBP', taxRate: 2000 },
  FR: { currency: 'EUR', taxRate: 2000 },
  NL: { currency: 'EUR', taxRate: 2100 },
  IT: { currency: 'EUR', taxRate: 2200 },
  ES: { currency: 'EUR', taxRate: 2100 },
  BE: { currency: 'EUR', taxRate: 2100 },
  SE: { currency: 'SEK', taxRate: 2500 },
  DK: { currency: 'DKK', taxRate: 2500 },
  NO: { currency: 'NOK', taxRate: 2500 },
  FI: { currency: 'EUR', taxRate: 2400 },
  IE: { currency: 'EUR', taxRate: 2300 },
  PL: { currency: 'PLN', taxRate: 2300 },
  PT: { currency: 'EUR', taxRate: 2300 },
  US: { currency: 'USD', taxRate: 0 },
  CA: { currency: 'CAD', taxRate: 500 },
  AU: { currency: 'AUD', taxRate: 1000 },
  BR: { currency: 'BRL', taxRate: 0 },
  MX: { currency: 'MXN', taxRate: 1600 },
  IN: { currency: 'INR', taxRate: 1800 },
  JP: { currency: 'JPY', taxRate: 1000 },
  SG: { currency: 'SGD', taxRate: 900 },
  ZA: { currency: 'ZAR', taxRate: 1500 },
  LU: { currency: 'EUR', taxRate: 1700 },
  CZ: { currency: 'CZK', taxRate: 2100 },
  HU: { currency: 'HUF', taxRate: 2700 },
  LI: { currency: 'CHF', taxRate: 810 },
  AE: { currency: 'AED', taxRate: 500 },
  SK: { currency: 'EUR', taxRate: 2000 },
  RO: { currency: 'RON', taxRate: 1900 },
};

/** Price factor from EUR per currency, so JPY prices look like JPY prices. */
export const CURRENCY_FACTOR: Readonly<Record<string, number>> = {
  EUR: 1,
  CHF: 0.95,
  GBP: 0.85,
  USD: 1.1,
  SEK: 11.5,
  DKK: 7.45,
  NOK: 11.6,
  PLN: 4.3,
  CAD: 1.5,
  AUD: 1.65,
  BRL: 5.5,
  MXN: 19,
  INR: 90,
  JPY: 160,
  SGD: 1.45,
  ZAR: 20,
  CZK: 25,
  HUF: 390,
  AED: 4,
  RON: 5,
};

/** Cities by country; accents are deliberate. */
export const CITIES: Readonly<Record<string, readonly string[]>> = {
  CH: ['Zürich', 'Genève', 'Bern', 'Lausanne', 'Basel', 'Neuchâtel', 'St. Gallen'],
  DE: ['München', 'Köln', 'Berlin', 'Düsseldorf', 'Hamburg'],
  AT: ['Wien', 'Graz', 'Linz'],
  FR: ['Paris', 'Lyon', 'Besançon', 'Orléans'],
  GB: ['London', 'Manchester', 'Leeds'],
  ES: ['Madrid', 'A Coruña', 'Málaga'],
  PL: ['Kraków', 'Łódź', 'Warszawa'],
  SE: ['Göteborg', 'Malmö', 'Stockholm'],
  DK: ['København', 'Århus'],
  NO: ['Tromsø', 'Oslo'],
  JP: ['東京', '大阪'],
  PT: ['Lisboa', 'Évora'],
};
export const DEFAULT_CITIES: readonly string[] = [
  'Amsterdam',
  'Dublin',
  'Milano',
  'Helsinki',
  'Toronto',
  'Sydney',
  'São Paulo',
  'Ciudad de México',
  'Bengaluru',
  'Singapore',
  'Cape Town',
  'New York',
  'Brussels',
  'Luxembourg',
  'Praha',
];

/** Given names and family names, each with an ASCII form for e-mail addresses. */
export const FIRST_NAMES: readonly string[] = [
  'Anna',
  'Luca',
  'Sophie',
  'Jürg',
  'Noémie',
  'José',
  'Björn',
  'Zoë',
  'François',
  'Małgorzata',
  'Søren',
  'Chloé',
  'Ömer',
  'Lukas',
  'Emma',
  'Marco',
  'Élodie',
  'Jan',
  'Laura',
  'Hiroshi',
  'Priya',
  'Liam',
  'Olivia',
  'Mateo',
  'Inês',
  'Reto',
];
export const LAST_NAMES: readonly string[] = [
  'Müller',
  'Meier',
  'Schmid',
  'Keller',
  'Weber',
  'Huber',
  'García',
  'Dubois',
  'Rossi',
  'Nowak',
  'Jansen',
  'Andersson',
  'Nielsen',
  'Smith',
  'Brown',
  'Tanaka',
  'Sharma',
  'Silva',
  'Ó Briain',
  'Łukasiewicz',
  'Häberli',
  'Lefèvre',
  'Kovač',
  'da Costa',
  'van den Berg',
  'Brändli',
];
/** Names written in CJK scripts (given, family). */
export const CJK_NAMES: readonly (readonly [string, string])[] = [
  ['太郎', '山田'],
  ['小红', '李'],
  ['민준', '김'],
  ['花子', '佐藤'],
];

export const COMPANY_WORDS: readonly string[] = [
  'Alpine',
  'Helvetia',
  'Nordlicht',
  'Bodensee',
  'Zürcher',
  'Lémanique',
  'Iberia',
  'Cloudhaus',
  'Datawerk',
  'Brücke',
  'Matterhorn',
  'Polaris',
  'Fjord',
  'Atlas',
  'Kestrel',
  'Vega',
  'Tessiner',
  'Rhône',
  'Baltic',
  'Meridian',
  'Østergaard',
  'Citadel',
  'Bernina',
  'Säntis',
  'Lumen',
  'Quantum',
  'Aurora',
  'Pilatus',
  'Orbis',
  'Danube',
];
export const COMPANY_SUFFIXES: readonly string[] = [
  'IT',
  'Systems',
  'Solutions',
  'Informatik',
  'Consulting',
  'Digital',
  'Technologies',
  'Cloud Services',
  'Software',
  'Networks',
];
export const LEGAL_FORMS: readonly string[] = [
  'AG',
  'GmbH',
  'SA',
  'Ltd',
  'B.V.',
  'S.r.l.',
  'Oy',
  'AB',
  'Sp. z o.o.',
  'Inc.',
  'S.à r.l.',
  'ApS',
];
/** Company names in CJK scripts and with emoji, as partners typed them. */
export const CJK_COMPANIES: readonly string[] = [
  '東京クラウド株式会社',
  '上海云科技有限公司',
  '서울소프트 주식회사',
  '大阪データ合同会社',
];
export const EMOJI_COMPANIES: readonly string[] = [
  'Cloud ☁️ Partners',
  '🚀 Rocket IT',
  'Bits & Bytes 💾',
  'Green IT 🌱',
];

/** Lower-case ASCII form of a name for addresses and codes (accents dropped, other letters removed). */
export function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/gi, 'o')
    .replace(/ł/gi, 'l')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export const FIRST_NAME_SLUGS = FIRST_NAMES.map(asciiSlug);
export const LAST_NAME_SLUGS = LAST_NAMES.map(asciiSlug);

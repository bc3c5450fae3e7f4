import { CJK_COMPANIES, CJK_NAMES, EMOJI_COMPANIES } from './catalog';
import { DIRTY_RATES } from './dirty-rates';
import type { Prng } from './prng';

/** An enum as written and the value it means (undefined when it matches no documented value). */
export interface WrittenEnum<Value extends string> {
  raw: string;
  meaning: Value | undefined;
}

/** Spellings the portal accepted for each documented value, besides case and spacing games. */
const SPELLINGS: Readonly<Record<string, readonly string[]>> = {
  Completed: ['Complete', 'completed', 'COMPLETED', 'Completed '],
  InProgress: ['In Progress', 'in-progress', 'InProgress '],
  Cancelled: ['Canceled', 'cancelled', 'Cancelled '],
  AddSeats: ['Add Seats', 'add_seats', 'addseats'],
  RemoveSeats: ['Remove Seats', 'remove-seats', 'REMOVESEATS'],
  AutoRenewToggle: ['Auto Renew Toggle', 'auto_renew_toggle'],
  OneTime: ['One-Time', 'one time', 'onetime'],
  CreditNote: ['Credit Note', 'credit_note', 'creditnote'],
  ReadOnly: ['Read Only', 'read-only', 'readonly'],
};

/** Values outside every documented set, per enum column. */
export const UNKNOWN_ENUMS = {
  partnerStatus: ['Pending', 'Blocked'],
  role: ['Owner', 'Support', 'Billing'],
  orderType: ['Upgrade', 'Transfer', 'Renewal'],
  orderStatus: ['Pending', 'OnHold', 'Rejected'],
  billingFrequency: ['Quarterly', 'Usage'],
  documentType: ['ProForma', 'DebitNote'],
  invoiceStatus: ['Disputed', 'WrittenOff'],
} as const;

const cleanEnums = new Map<string, WrittenEnum<string>>();

/** The shared result for a value written as documented (most rows): saves an allocation per row. */
function cleanEnum<Value extends string>(value: Value): WrittenEnum<Value> {
  let written = cleanEnums.get(value);
  if (!written) {
    written = Object.freeze({ raw: value, meaning: value });
    cleanEnums.set(value, written);
  }
  return written as WrittenEnum<Value>;
}

/** A documented value, sometimes in another spelling, case or with a trailing space. */
export function writeEnumVariant(value: string, rng: Prng): string {
  const spellings = SPELLINGS[value];
  const roll = rng.next();
  // The first spelling is the one people actually typed ('Complete', 'In Progress', 'Canceled').
  if (spellings && roll < 0.7) return roll < 0.42 ? spellings[0] : rng.pick(spellings);
  if (roll < 0.8) return value.toLowerCase();
  if (roll < 0.9) return `${value} `;
  return value.toUpperCase();
}

/** An enum column: mostly the documented value, at `variantRate` a variant, at `unknownRate` an unknown value. */
export function writeEnum<Value extends string>(
  value: Value,
  rng: Prng,
  variantRate: number,
  unknownRate: number,
  unknown: readonly string[],
): WrittenEnum<Value> {
  const roll = rng.next();
  if (roll >= variantRate + unknownRate) return cleanEnum(value);
  if (roll < unknownRate) return { raw: rng.pick(unknown), meaning: undefined };
  return { raw: writeEnumVariant(value, rng), meaning: value };
}

const MALFORMED_EMAILS = [
  '{local}',
  '{local}@localhost',
  '{local}@@{domain}',
  '{local}@{domain}.',
  'mailto:{local}@{domain}',
];

/** An e-mail address as users typed it: mostly clean, sometimes mixed case, padded, empty, 'n/a' or broken. */
export function writeEmail(local: string, domain: string, rng: Prng): string {
  const rates = DIRTY_RATES.email;
  let roll = rng.next();
  if ((roll -= rates.mixedCase) < 0) return `${capitalise(local)}@${capitalise(domain)}`;
  if ((roll -= rates.surroundingSpaces) < 0) return rng.chance(0.5) ? ` ${local}@${domain} ` : `${local}@${domain}\t`;
  if ((roll -= rates.innerSpace) < 0) return `${local.slice(0, 2)} ${local.slice(2)}@${domain}`;
  if ((roll -= rates.empty) < 0) return '';
  if ((roll -= rates.notApplicable) < 0) return rng.pick(['n/a', 'N/A', 'none', '-']);
  if ((roll -= rates.malformed) < 0)
    return rng.pick(MALFORMED_EMAILS).replace('{local}', local).replace('{domain}', domain);
  return `${local}@${domain}`;
}

function capitalise(text: string): string {
  return text.replace(/(^|[.\-])([a-z])/g, (_match, before: string, letter: string) => before + letter.toUpperCase());
}

const CONTROL_CHARACTERS = ['\u0007', '\t', '\u001b', '\u000b'];

/** Free text as typed: sometimes with trailing spaces, a control character, an emoji or in CJK script. */
export function writeText(text: string, rng: Prng, maxLength: number): string {
  const rates = DIRTY_RATES.text;
  let roll = rng.next();
  let written = text;
  if ((roll -= rates.trailingSpaces) < 0) written = `${text}${rng.chance(0.7) ? ' ' : '   '}`;
  else if ((roll -= rates.controlCharacter) < 0) {
    const at = rng.int(1, Math.max(1, text.length - 1));
    written = `${text.slice(0, at)}${rng.pick(CONTROL_CHARACTERS)}${text.slice(at)}`;
  } else if ((roll -= rates.emoji) < 0) written = `${text} ${rng.pick(['🚀', '☁️', '✅', '🇨🇭'])}`;
  else if ((roll -= rates.cjk) < 0) written = `${text} ${rng.pick(CJK_NAMES)[1]}`;
  return written.length > maxLength ? written.slice(0, maxLength) : written;
}

/** A company name that is itself unusual (CJK or emoji), for the rare partner or customer. */
export function unusualCompanyName(rng: Prng): string {
  return rng.chance(0.5) ? rng.pick(EMOJI_COMPANIES) : rng.pick(CJK_COMPANIES);
}

/** A GUID as stored: the portal kept whatever case the client sent. */
export function writeGuid(guid: string, upperCase: boolean): string {
  return upperCase ? guid.toUpperCase() : guid;
}

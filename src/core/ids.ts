import { hash } from 'node:crypto';

/** Marketplace id prefixes, one per object kind (MAPPING.md, "Ids"). */
export const ID_PREFIX = {
  account: 'ACC',
  buyer: 'BUY',
  seller: 'SEL',
  licensee: 'LCE',
  user: 'USR',
  accountUser: 'AUSR',
  agreement: 'AGR',
  subscription: 'SUB',
} as const;

export type IdKind = keyof typeof ID_PREFIX;

function group(digits: string): string {
  return `${digits.slice(0, 4)}-${digits.slice(4, 8)}-${digits.slice(8, 12)}-${digits.slice(12, 16)}`;
}

/**
 * The marketplace id of an object keyed by a legacy integer key: the key itself, zero-padded
 * to 16 digits in groups of four (`ACC-0000-0000-0000-0042`). Stable and collision-free.
 */
export function idFromLegacyInt(kind: IdKind, key: number): string {
  if (!Number.isSafeInteger(key) || key < 0) throw new RangeError(`legacy key must be a non-negative integer: ${key}`);
  return `${ID_PREFIX[kind]}-${group(String(key).padStart(16, '0'))}`;
}

/**
 * The marketplace id of an object keyed by text (a normalised e-mail, a SubscriptionRef,
 * licensee + SKU): 16 digits from a SHA-256 of the kind and key. Deterministic, so parallel
 * workers and replays agree; `migration.id_map` is unique both ways and rejects a collision.
 */
export function idFromText(kind: IdKind, key: string): string {
  // One-shot crypto.hash: a fraction of createHash's per-call cost, and ids are made by the hundred thousand.
  // Hex out and one BigInt of its first 64 bits: about half the cost of a Buffer and readBigUInt64BE.
  const digest = hash('sha256', `${kind}\u0000${key}`, 'hex');
  const digits = (BigInt(`0x${digest.slice(0, 16)}`) % 10_000_000_000_000_000n).toString().padStart(16, '0');
  return `${ID_PREFIX[kind]}-${group(digits)}`;
}

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
  // One-shot crypto.hash, one character per byte: ids are made by the hundred thousand, so no
  // hex digest, BigInt or string slices per id.
  const digest = hash('sha256', `${kind}\u0000${key}`, 'binary');
  // The first 64 bits (big-endian) as two 32-bit halves, hi * 2^32 + lo, taken modulo 10^16.
  const hi =
    ((digest.charCodeAt(0) << 24) |
      (digest.charCodeAt(1) << 16) |
      (digest.charCodeAt(2) << 8) |
      digest.charCodeAt(3)) >>>
    0;
  const lo =
    ((digest.charCodeAt(4) << 24) |
      (digest.charCodeAt(5) << 16) |
      (digest.charCodeAt(6) << 8) |
      digest.charCodeAt(7)) >>>
    0;
  // Exact in doubles: 2^32 = 42 * 10^8 + 94967296, and with hi = hiHigh * 2^16 + hiLow,
  // hi * 94967296 = hiHigh * (62237 * 10^8 + 76710656) + hiLow * 94967296; every term stays below 2^53.
  const hiHigh = hi >>> 16;
  const hiLow = hi & 0xffff;
  const low = hiHigh * 76710656 + hiLow * 94967296 + lo;
  const high = (hi * 42 + hiHigh * 62237 + Math.floor(low / 1e8)) % 1e8;
  const rest = low % 1e8;
  return `${ID_PREFIX[kind]}-${four(Math.floor(high / 1e4))}-${four(high % 1e4)}-${four(Math.floor(rest / 1e4))}-${four(rest % 1e4)}`;
}

/** 0..9999 as four digits. */
function four(value: number): string {
  return value >= 1000 ? String(value) : String(value).padStart(4, '0');
}

/**
 * Exact decimal arithmetic on money as text, with scaled bigints: `"12.3400"` is 123400n at
 * scale 4. Cheaper than decimal.js on the hot path and just as exact; never a float. Used by the
 * transforms (line sums, gross = net + tax) and by verification (money compared and totalled).
 */
import { trimWhitespace } from './canonical/trim';

/** An exact decimal: `units / 10^scale`. */
export interface ScaledDecimal {
  units: bigint;
  scale: number;
}

const DECIMAL = /^(-|\+)?(\d+)(?:\.(\d+))?$/;
const POWERS: bigint[] = [];
for (let i = 0n; i <= 38n; i++) POWERS.push(10n ** i);

function power(n: number): bigint {
  return POWERS[n] ?? 10n ** BigInt(n);
}

/** Parses an exact decimal as written (`-12.3400`, `7`); undefined when it is not one. */
export function parseDecimal(text: string | null | undefined): ScaledDecimal | undefined {
  if (text == null) return undefined;
  const match = DECIMAL.exec(trimWhitespace(text));
  if (!match) return undefined;
  const fraction = match[3] ?? '';
  const magnitude = BigInt(match[2] + fraction);
  return { units: match[1] === '-' ? -magnitude : magnitude, scale: fraction.length };
}

function align(a: ScaledDecimal, scale: number): bigint {
  return a.scale === scale ? a.units : a.units * power(scale - a.scale);
}

/** a + b, exactly. */
export function addDecimals(a: ScaledDecimal, b: ScaledDecimal): ScaledDecimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: align(a, scale) + align(b, scale), scale };
}

/** a * an integer, exactly (Quantity * UnitPrice). */
export function multiplyDecimal(a: ScaledDecimal, factor: number): ScaledDecimal {
  return { units: a.units * BigInt(factor), scale: a.scale };
}

/** Numeric equality whatever the scales: `1.5` equals `1.5000`. */
export function decimalEquals(a: ScaledDecimal, b: ScaledDecimal): boolean {
  const scale = Math.max(a.scale, b.scale);
  return align(a, scale) === align(b, scale);
}

/** Canonical text of a decimal, for finding details (`-0.0100`). */
export function formatDecimal(a: ScaledDecimal): string {
  const negative = a.units < 0n;
  const digits = (negative ? -a.units : a.units).toString().padStart(a.scale + 1, '0');
  const whole = digits.slice(0, digits.length - a.scale);
  const fraction = a.scale > 0 ? `.${digits.slice(digits.length - a.scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** A decimal read from a database's exact text; anything else is a broken contract (RangeError). */
export function parseExactDecimal(text: string): ScaledDecimal {
  return parseExact(text);
}

function parseExact(text: string): ScaledDecimal {
  const value = parseDecimal(text);
  if (value === undefined) throw new RangeError(`not a decimal: ${text}`);
  return value;
}

/**
 * Numeric equality of decimals written as text (`12.30` equals `12.3000`); NULL equals only NULL.
 * The same text is the same number without parsing either (money sums of both databases come
 * at the columns' scale, so nearly every pair compared is the same text).
 */
export function decimalTextEquals(a: string | null, b: string | null): boolean {
  if (a === null || b === null || a === b) return a === b;
  return decimalEquals(parseExact(a), parseExact(b));
}

/**
 * A running exact total of decimals written as text (money summed over partners and months for
 * the report): one scaled bigint at the largest scale seen, formatted once at the end.
 */
export class DecimalTotal {
  private total: ScaledDecimal = { units: 0n, scale: 0 };

  add(text: string): this {
    this.total = addDecimals(this.total, parseExact(text));
    return this;
  }

  /** Adds a decimal already parsed. */
  addDecimal(value: ScaledDecimal): this {
    this.total = addDecimals(this.total, value);
    return this;
  }

  /** Adds another running total (no text parsed again). */
  addTotal(other: DecimalTotal): this {
    this.total = addDecimals(this.total, other.total);
    return this;
  }

  toString(): string {
    return formatDecimal(this.total);
  }
}

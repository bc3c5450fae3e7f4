/** Exact comparison and addition of decimals written as text (`12.30` equals `12.3000`), with bigints. */

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

function parse(text: string): { units: bigint; scale: number } {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new RangeError(`not a decimal: ${text}`);
  const fraction = match[3] ?? '';
  const units = BigInt(match[2] + fraction);
  return { units: match[1] ? -units : units, scale: fraction.length };
}

function aligned(a: string, b: string): [bigint, bigint, number] {
  const x = parse(a);
  const y = parse(b);
  const scale = Math.max(x.scale, y.scale);
  return [x.units * 10n ** BigInt(scale - x.scale), y.units * 10n ** BigInt(scale - y.scale), scale];
}

export function decimalTextEquals(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  const [x, y] = aligned(a, b);
  return x === y;
}

/**
 * A running exact total of decimals written as text (money summed over partners and months for
 * the report): units kept as one bigint at the largest scale seen, formatted once at the end.
 */
export class DecimalTotal {
  private units = 0n;
  private scale = 0;

  add(text: string): this {
    const value = parse(text);
    if (value.scale > this.scale) {
      this.units *= 10n ** BigInt(value.scale - this.scale);
      this.scale = value.scale;
    }
    this.units += value.units * 10n ** BigInt(this.scale - value.scale);
    return this;
  }

  toString(): string {
    const negative = this.units < 0n;
    const digits = (negative ? -this.units : this.units).toString().padStart(this.scale + 1, '0');
    const whole = digits.slice(0, digits.length - this.scale);
    return `${negative ? '-' : ''}${whole}${this.scale > 0 ? `.${digits.slice(digits.length - this.scale)}` : ''}`;
  }
}

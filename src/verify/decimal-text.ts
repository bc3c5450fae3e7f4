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

export function addDecimalText(a: string, b: string): string {
  const [x, y, scale] = aligned(a, b);
  const sum = x + y;
  const negative = sum < 0n;
  const digits = (negative ? -sum : sum).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${digits.slice(digits.length - scale)}` : ''}`;
}

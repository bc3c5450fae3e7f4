/** Money is carried as integer units of 1/10000 (DECIMAL(19,4)), so sums stay exact. */
export const MONEY_SCALE = 10_000;
const CENT = 100;

/** Exact decimal text with four decimals (`-12.3400`). */
export function formatMoney(units: number): string {
  const negative = units < 0;
  const abs = negative ? -units : units;
  const whole = Math.floor(abs / MONEY_SCALE);
  const fraction = abs - whole * MONEY_SCALE;
  return `${negative ? '-' : ''}${whole}.${String(fraction).padStart(4, '0')}`;
}

/** Rounds half away from zero to whole cents, as the portal's invoicing did. */
export function roundToCents(units: number): number {
  const cents = Math.round(Math.abs(units) / CENT) * CENT;
  return units < 0 ? -cents : cents;
}

/** A DECIMAL(5,2) percentage from hundredths of a percent (810 -> `8.10`). */
export function formatRate(hundredths: number): string {
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

/** A DECIMAL(18,4) quantity from an integer count. */
export function formatQuantity(count: number): string {
  return `${count}.0000`;
}

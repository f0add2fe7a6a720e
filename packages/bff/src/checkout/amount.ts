/**
 * Money is handled in minor units (cents): range checks and equality never meet binary floating
 * point, and amounts go upstream as canonical two-decimal strings ("4.50").
 */

/** A plain decimal: no sign, no exponent, no leading zeros, at most 2 decimals, below 10^9. */
const PLAIN_DECIMAL = /^(0|[1-9]\d{0,8})(?:\.(\d{1,2}))?$/;

/** `"4.5"` → `450`; `undefined` for anything that is not a plain decimal amount. */
export function parseAmount(text: string): number | undefined {
  const match = PLAIN_DECIMAL.exec(text);
  return match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : undefined;
}

/** `450` → `"4.50"` */
export function formatAmount(minor: number): string {
  return `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

/**
 * Amounts are handled in minor units (cents) so range checks and equality never meet binary
 * floating point, and are shown as plain two-decimal strings ("4.50"), as merchants send them.
 */

const DECIMAL = /^\d{1,9}(\.\d{1,2})?$/;

/** Parses "4.5", "4.50" or 4.5 into 450; `undefined` when it is not a non-negative 2-decimal amount. */
export function toMinorUnits(value: string | number): number | undefined {
  const text =
    typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  if (!DECIMAL.test(text)) return undefined;
  const [whole = '0', fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** 450 -> "4.50" */
export function formatMinorUnits(minor: number): string {
  return `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

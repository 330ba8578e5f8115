/**
 * Rounding as Excel's ROUND does: half away from zero, on the decimal value the user sees, with no
 * binary floating-point drift (ROUND(1.005, 2) = 1.01; 0.1 + 0.2 shows as 0.3).
 */

/** Removes binary noise by going through 15 significant digits, as Excel stores and shows numbers. */
export function clean(x: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return x;
  // Fast path: x is already the double nearest a decimal of ≤ 6 places (6.64, 0.9524) — division of an
  // integer by 10^6 is correctly rounded, so equality proves it — and such an x is its own clean form.
  if (Math.abs(x) < 1e9 && Math.round(x * 1e6) / 1e6 === x) return x;
  const y = Number(x.toPrecision(15));
  return Number.isFinite(y) ? y : x; // Number.MAX_VALUE would round up to Infinity
}

const POW10: Record<number, number> = { 0: 1, 1: 10, 2: 100, 3: 1000, 4: 10000, 5: 100000, 6: 1000000 };

export function roundHalfUp(x: number, digits = 2): number {
  if (!Number.isFinite(x)) return x;
  // Beyond 15 significant integer digits there is no fraction left to round (and exponent forms would not parse).
  if (Math.abs(x) >= 1e15) return clean(x);
  if (Number.isInteger(x)) return x;
  // Fast path: away from a tie, rounding the scaled double is exact, and an integer divided by 10^d is the
  // double nearest the decimal result. Near a tie (x.xx5 in binary), fall through to the decimal method.
  const p = POW10[digits];
  const m = p === undefined ? Infinity : Math.abs(x) * p;
  // Below 1e7 the double's spacing (< 2e-9) is far inside the tie margin, so no decimal tie is misjudged.
  if (m < 1e7) {
    const frac = m - Math.floor(m);
    if (Math.abs(frac - 0.5) > 1e-6) {
      const r = Math.round(m) / p!;
      return x < 0 ? (r === 0 ? 0 : -r) : r;
    }
  }
  const sign = x < 0 ? -1 : 1;
  const [mant, exp] = Math.abs(clean(x)).toExponential(14).split('e');
  const shifted = Number(`${mant}e${Number(exp) + digits}`);
  const rounded = Math.round(shifted);
  const back = Number(`${rounded}e${-digits}`);
  return back === 0 ? 0 : sign * back;
}

export const round2 = (x: number): number => roundHalfUp(x, 2);

/** Sums values already rounded to 2 decimals without drift (in integer hundredths). */
export function sum2(xs: readonly number[]): number {
  let cents = 0;
  let plain = 0;
  let big = false;
  for (const x of xs) {
    const r = roundHalfUp(x, 2);
    if (Math.abs(r) >= 1e12) big = true;
    cents += Math.round(r * 100);
    plain += r;
  }
  // Cents are exact only while they stay integers below 2^53; absurd magnitudes are summed plainly.
  return big ? clean(plain) : cents / 100;
}

/** `9.8` → `9.80`: a score or money figure as shown with 2 decimals. */
export function fmt2(x: number): string {
  return roundHalfUp(x, 2).toFixed(2);
}

/** A fraction as a percentage with 2 decimals: `0.952380` → `95.24%`. */
export function fmtPct(fraction: number): string {
  return `${roundHalfUp(fraction * 100, 2).toFixed(2)}%`;
}

/** A number as the user wrote it, without trailing zeros: `900` → `900`, `0.60` → `0.6`. */
export function fmtNum(x: number): string {
  return String(clean(x));
}

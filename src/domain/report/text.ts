/**
 * Text measures and the number wording of the report's prose.
 */
import { fmtNum, roundHalfUp } from '../round';

/**
 * Display width of a text in Excel character units (the width of `0` in the default font): CJK ideographs,
 * full-width forms and CJK punctuation count 2, everything else 1.
 */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    w += cp >= 0x2000 ? 2 : 1;
  }
  return w;
}

/** Lines a text takes when wrapped into `width` character units (explicit line breaks respected). */
export function wrappedLines(s: string, width: number): number {
  const usable = Math.max(2, width);
  let lines = 0;
  for (const para of s.split('\n')) {
    lines += Math.max(1, Math.ceil(textWidth(para) / usable));
  }
  return lines;
}

/** Money in 万元 as written in prose: `6.64`, `90`, `0.60` (rounded half-up to 2 decimals; whole amounts bare). */
export function moneyText(x: number): string {
  return roundHalfUp(x, 2).toFixed(2).replace(/\.00$/, '');
}

/** A score in prose: `9.76`, `10`, `99.8`. */
export function scoreText(x: number): string {
  return fmtNum(roundHalfUp(x, 2));
}

/** A fraction as a percentage in prose: `1` → `100%`, `0.952380` → `95.24%`. */
export function percentText(fraction: number): string {
  return `${fmtNum(roundHalfUp(fraction * 100, 2))}%`;
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (1–99; larger numbers in digits). */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) return String(n);
  if (n < 10) return DIGITS[n];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`;
}

/** Removes trailing sentence punctuation so that a message can be embedded in a sentence. */
export function stripEndPunct(s: string): string {
  return s.trim().replace(/[。；;，,.\s]+$/u, '');
}

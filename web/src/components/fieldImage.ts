/**
 * Pure drawing maths of the other boundary encodings (training/boundary.py):
 *
 * * multi-class ``(R, R, 2)`` uint8 of (class, confidence * 255): the class colour, washed
 *   towards the neutral background as the confidence falls to chance (1/k), as in
 *   TensorFlow Playground's confidence shading;
 * * regression ``(R, R)`` float: a diverging scale centred on 0 (orange below, blue above),
 *   symmetric in the largest |value|, so equal distances from 0 look equally strong.
 */

import { BOUNDARY_PALETTE, paletteLUT, type RGB } from "./boundaryImage";

/** Class colours: 0 orange and 1 blue (as the binary view), then distinct hues. */
export const CLASS_RGB: readonly RGB[] = [
  [232, 133, 12],
  [11, 111, 179],
  [46, 160, 67],
  [140, 86, 195],
  [214, 39, 40],
  [23, 190, 207],
  [188, 189, 34],
  [127, 127, 127],
  [227, 119, 194],
  [140, 86, 75],
];

export function classColor(k: number): string {
  const [r, g, b] = CLASS_RGB[k % CLASS_RGB.length] as RGB;
  return `rgb(${r}, ${g}, ${b})`;
}

/** How much of the class colour shows at the brightest (full confidence). */
const STRENGTH = 0.7;

/** RGBA for (class, confidence) cells; ``nClasses`` sets chance (no colour at 1/k). */
export function multiclassToImageData(cells: ArrayLike<number>, nClasses: number): Uint8ClampedArray<ArrayBuffer> {
  const n = cells.length / 2;
  const out = new Uint8ClampedArray(n * 4);
  const chance = 1 / Math.max(2, nClasses);
  const bg = BOUNDARY_PALETTE.mid;
  for (let i = 0; i < n; i++) {
    const color = CLASS_RGB[(cells[i * 2] as number) % CLASS_RGB.length] as RGB;
    const confidence = (cells[i * 2 + 1] as number) / 255;
    const t = STRENGTH * Math.max(0, Math.min(1, (confidence - chance) / (1 - chance)));
    for (let c = 0; c < 3; c++) out[i * 4 + c] = Math.round((bg[c] as number) + ((color[c] as number) - (bg[c] as number)) * t);
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** The symmetric range [-m, m] of a regression field (m > 0 even for an all-zero field). */
export function symmetricRange(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i] as number);
    if (Number.isFinite(v) && v > m) m = v;
  }
  return m > 0 ? m : 1;
}

/** 0..255 position of ``v`` on the diverging scale [-m, m] (128 = 0). */
export function divergingIndex(v: number, m: number): number {
  if (!Number.isFinite(v)) return 128;
  return Math.max(0, Math.min(255, Math.round(((v / m + 1) / 2) * 255)));
}

const LUT = paletteLUT();
/** Points use the deep ends of the scale so they stand out from the field's tints. */
const DEEP_LUT = paletteLUT({ low: [200, 90, 0], mid: [240, 240, 236], high: [8, 80, 150] });

/** RGBA for a regression field, with its scale ``m`` (the legend shows -m..m). */
export function regressionToImageData(values: ArrayLike<number>, m: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const k = divergingIndex(values[i] as number, m) * 4;
    for (let c = 0; c < 4; c++) out[i * 4 + c] = LUT[k + c] as number;
  }
  return out;
}

/** The CSS colour of ``v`` on the diverging scale (points of a regression set). */
export function divergingColor(v: number, m: number): string {
  const k = divergingIndex(v, m) * 4;
  return `rgb(${DEEP_LUT[k]}, ${DEEP_LUT[k + 1]}, ${DEEP_LUT[k + 2]})`;
}

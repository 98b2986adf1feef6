/**
 * Pure drawing maths of the decision-boundary view, kept apart from the canvas so it can be
 * tested without one.
 *
 * Values are P(class 1) scaled to 0..255, row-major with row 0 at the top (largest y): the
 * same orientation as canvas ImageData, so no flip is needed.
 */

export type RGB = readonly [number, number, number];

/** Class 0 is orange, class 1 is blue (as in TensorFlow Playground). */
export const CLASS_COLORS: readonly [string, string] = ["#e8850c", "#0b6fb3"];

export interface DivergingPalette {
  low: RGB;
  mid: RGB;
  high: RGB;
}

/** Tints of the class colours for the background, so the points stay visible on top. */
export const BOUNDARY_PALETTE: DivergingPalette = {
  low: [245, 170, 92],
  mid: [244, 244, 242],
  high: [92, 160, 214],
};

/** 256 RGBA entries: 0 = ``low``, 128 = ``mid``, 255 = ``high``, linear in between. */
export function paletteLUT(palette: DivergingPalette = BOUNDARY_PALETTE): Uint8ClampedArray<ArrayBuffer> {
  const lut = new Uint8ClampedArray(256 * 4);
  for (let v = 0; v < 256; v++) {
    const t = v / 255;
    const [from, to, u] = t < 0.5 ? [palette.low, palette.mid, t * 2] : [palette.mid, palette.high, t * 2 - 1];
    for (let c = 0; c < 3; c++) lut[v * 4 + c] = Math.round((from[c] as number) + ((to[c] as number) - (from[c] as number)) * u);
    lut[v * 4 + 3] = 255;
  }
  return lut;
}

/** RGBA pixels for a row-major grid of 0..255 values (ImageData layout, row 0 on top). */
export function boundaryToImageData(
  values: ArrayLike<number>,
  lut: Uint8ClampedArray = paletteLUT(),
): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const v = Math.max(0, Math.min(255, Math.round(values[i] as number))) * 4;
    out[i * 4] = lut[v] as number;
    out[i * 4 + 1] = lut[v + 1] as number;
    out[i * 4 + 2] = lut[v + 2] as number;
    out[i * 4 + 3] = lut[v + 3] as number;
  }
  return out;
}

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Data coordinates to canvas pixels: x grows right, y grows up (so it is flipped). */
export type Range = readonly number[]; // [low, high]

export function toCanvas(x: number, y: number, xRange: Range, yRange: Range, rect: Rect): [number, number] {
  const [x0 = -1, x1 = 1] = xRange;
  const [y0 = -1, y1 = 1] = yRange;
  const px = rect.left + ((x - x0) / (x1 - x0)) * rect.width;
  const py = rect.top + ((y1 - y) / (y1 - y0)) * rect.height;
  return [px, py];
}

/** Integer ticks from ``low`` to ``high`` every ``every``: -6..6 by 2 for the 2-D sets. */
export function ticks(low: number, high: number, every = 2): number[] {
  const out: number[] = [];
  for (let t = Math.ceil(low / every) * every; t <= high + 1e-9; t += every) out.push(t);
  return out;
}

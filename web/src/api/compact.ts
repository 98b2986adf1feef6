/** Decoding :class:`CompactArray` (shape + dtype + base64 of row-major little-endian bytes). */

import type { CompactArray } from "./types";

export interface DecodedArray {
  shape: number[];
  data: Uint8Array | Float32Array;
}

function base64ToBytes(b64: string): Uint8Array {
  const binary = atob(b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** IEEE 754 half precision to a JS number. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

export function decodeCompactArray(array: CompactArray): DecodedArray {
  const bytes = base64ToBytes(array.data);
  const count = array.shape.reduce((a, b) => a * b, 1);
  const itemSize = array.dtype === "uint8" ? 1 : array.dtype === "float16" ? 2 : 4;
  if (bytes.length !== count * itemSize) {
    throw new Error(
      `compact array: ${bytes.length} bytes do not hold shape [${array.shape.join(", ")}] of ${array.dtype}`,
    );
  }
  if (array.dtype === "uint8") return { shape: array.shape, data: bytes };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = array.dtype === "float16" ? halfToFloat(view.getUint16(i * 2, true)) : view.getFloat32(i * 4, true);
  }
  return { shape: array.shape, data: out };
}

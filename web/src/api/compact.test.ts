import { describe, expect, it } from "vitest";
import { fixtures } from "../test/fixtures";
import { decodeCompactArray, halfToFloat } from "./compact";

function b64(bytes: number[]): string {
  return btoa(String.fromCharCode(...bytes));
}

describe("decodeCompactArray", () => {
  it("decodes the server's boundary grid: uint8, resolution x resolution", () => {
    const boundary = fixtures.snapshot().latest.find((e) => e.kind === "boundary");
    if (boundary?.kind !== "boundary") throw new Error("fixture snapshot has no boundary");
    const { resolution, values } = boundary.payload;
    const grid = decodeCompactArray(values);
    expect(grid.shape).toEqual([resolution, resolution]);
    expect(grid.data).toBeInstanceOf(Uint8Array);
    expect(grid.data.length).toBe(resolution * resolution);
    // A model that has trained for a while is confident somewhere on the plane.
    expect(Math.max(...grid.data)).toBeGreaterThan(128);
    expect(Math.min(...grid.data)).toBeLessThan(128);
  });

  it("decodes little-endian float32 and float16", () => {
    const f32 = new Float32Array([1.5, -2]);
    const bytes = [...new Uint8Array(f32.buffer)];
    expect([...decodeCompactArray({ shape: [2], dtype: "float32", data: b64(bytes) }).data]).toEqual([1.5, -2]);
    // 0x3c00 = 1.0, 0xc000 = -2.0, 0x3555 ~ 0.3333 (little-endian byte order)
    const half = decodeCompactArray({ shape: [1, 3], dtype: "float16", data: b64([0x00, 0x3c, 0x00, 0xc0, 0x55, 0x35]) });
    expect(half.data[0]).toBe(1);
    expect(half.data[1]).toBe(-2);
    expect(half.data[2]).toBeCloseTo(1 / 3, 3);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
  });

  it("refuses bytes that do not fill the shape", () => {
    expect(() => decodeCompactArray({ shape: [2, 2], dtype: "uint8", data: b64([1, 2, 3]) })).toThrow(/3 bytes/);
  });
});

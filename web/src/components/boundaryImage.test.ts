import { describe, expect, it } from "vitest";
import { decodeCompactArray } from "../api/compact";
import { fixtures } from "../test/fixtures";
import { BOUNDARY_PALETTE, boundaryToImageData, paletteLUT, ticks, toCanvas } from "./boundaryImage";

const rgba = (pixels: Uint8ClampedArray, i: number) => [...pixels.slice(i * 4, i * 4 + 4)];

describe("boundary image", () => {
  it("maps 0 to orange (class 0), 255 to blue (class 1), 128 near the neutral middle", () => {
    const lut = paletteLUT();
    expect(rgba(lut, 0)).toEqual([...BOUNDARY_PALETTE.low, 255]);
    expect(rgba(lut, 255)).toEqual([...BOUNDARY_PALETTE.high, 255]);
    const mid = rgba(lut, 128);
    mid.slice(0, 3).forEach((c, i) => expect(Math.abs(c - (BOUNDARY_PALETTE.mid[i] as number))).toBeLessThan(4));
    // orange has more red than blue; blue the reverse
    expect(BOUNDARY_PALETTE.low[0]).toBeGreaterThan(BOUNDARY_PALETTE.low[2]);
    expect(BOUNDARY_PALETTE.high[2]).toBeGreaterThan(BOUNDARY_PALETTE.high[0]);
  });

  it("keeps row 0 as the top row: a grid that is class 1 above y = 0 paints blue on top", () => {
    // 2 x 2, row-major, row 0 = largest y (the server's orientation): top row 255, bottom 0.
    const grid = decodeCompactArray({ shape: [2, 2], dtype: "uint8", data: btoa(String.fromCharCode(255, 255, 0, 0)) });
    const pixels = boundaryToImageData(grid.data);
    const lut = paletteLUT();
    expect(pixels.length).toBe(2 * 2 * 4);
    expect(rgba(pixels, 0)).toEqual(rgba(lut, 255)); // top-left
    expect(rgba(pixels, 1)).toEqual(rgba(lut, 255)); // top-right
    expect(rgba(pixels, 2)).toEqual(rgba(lut, 0)); // bottom-left
  });

  it("paints every cell of the server's grid from its value, in order", () => {
    const boundary = fixtures.snapshot().latest.find((e) => e.kind === "boundary");
    if (boundary?.kind !== "boundary") throw new Error("fixture snapshot has no boundary");
    const grid = decodeCompactArray(boundary.payload.values);
    const pixels = boundaryToImageData(grid.data);
    const lut = paletteLUT();
    const last = grid.data.length - 1;
    for (const i of [0, 1, boundary.payload.resolution, last]) {
      expect(rgba(pixels, i)).toEqual(rgba(lut, grid.data[i] as number));
    }
  });

  it("places data points with y growing upwards", () => {
    const rect = { left: 10, top: 20, width: 120, height: 120 };
    expect(toCanvas(-6, 6, [-6, 6], [-6, 6], rect)).toEqual([10, 20]); // top-left
    expect(toCanvas(6, -6, [-6, 6], [-6, 6], rect)).toEqual([130, 140]); // bottom-right
    expect(toCanvas(0, 0, [-6, 6], [-6, 6], rect)).toEqual([70, 80]);
  });

  it("ticks the axes at -6..6", () => {
    expect(ticks(-6, 6)).toEqual([-6, -4, -2, 0, 2, 4, 6]);
  });
});

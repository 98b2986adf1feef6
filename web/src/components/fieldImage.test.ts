import { describe, expect, it } from "vitest";
import { decodeCompactArray } from "../api/compact";
import type { BoundaryEvent } from "../api/types";
import { pg } from "../playground/test/pgFixtures";
import { fixtures } from "../test/fixtures";
import { BOUNDARY_PALETTE } from "./boundaryImage";
import { decodeField, fieldKind, lineRange } from "./boundaryPaint";
import { CLASS_RGB, divergingIndex, multiclassToImageData, regressionToImageData, symmetricRange } from "./fieldImage";
import { gridColumns, inkPixels } from "./ImageGrid";

const boundaryOf = (latest: { kind: string }[]) => latest.find((e) => e.kind === "boundary") as BoundaryEvent;
const rgb = (pixels: Uint8ClampedArray, i: number) => [...pixels.slice(i * 4, i * 4 + 3)];

describe("boundary encodings", () => {
  it("tells the four encodings apart from real frames", () => {
    expect(fieldKind(boundaryOf(fixtures.snapshot().latest))).toBe("binary");
    expect(fieldKind(boundaryOf(pg.snapshotMulticlass().latest))).toBe("multiclass");
    expect(fieldKind(boundaryOf(pg.snapshotPlane().latest))).toBe("regression");
    expect(fieldKind(boundaryOf(pg.snapshotSine().latest))).toBe("line");
  });

  it("decodes a multi-class frame to an image of its cells", () => {
    const frame = boundaryOf(pg.snapshotMulticlass().latest);
    const field = decodeField(frame, 3);
    expect([field.rows, field.cols]).toEqual([100, 100]);
    expect(field.pixels?.length).toBe(100 * 100 * 4);
  });

  it("colours a multi-class cell by its class, paler as confidence falls to chance", () => {
    // (class 2, full confidence), (class 2, chance for 3 classes = 85/255), (class 1, half way).
    const pixels = multiclassToImageData([2, 255, 2, 85, 1, 170], 3);
    const full = rgb(pixels, 0);
    const green = CLASS_RGB[2] as readonly number[];
    const bg = BOUNDARY_PALETTE.mid;
    full.forEach((c, i) => expect(Math.abs(c - ((bg[i] as number) + ((green[i] as number) - (bg[i] as number)) * 0.7))).toBeLessThanOrEqual(1));
    expect(rgb(pixels, 1)).toEqual([...bg]);
    const half = rgb(pixels, 2);
    const blue = CLASS_RGB[1] as readonly number[];
    half.forEach((c, i) => expect(Math.abs(c - ((bg[i] as number) + ((blue[i] as number) - (bg[i] as number)) * 0.35))).toBeLessThanOrEqual(1));
  });

  it("maps regression values on a scale symmetric around 0", () => {
    expect(symmetricRange([-0.5, 2, 1])).toBe(2);
    expect(symmetricRange([0, 0])).toBe(1);
    expect(divergingIndex(0, 2)).toBe(128);
    expect(divergingIndex(-2, 2)).toBe(0);
    expect(divergingIndex(2, 2)).toBe(255);
    const pixels = regressionToImageData([-2, 0, 2], 2);
    expect(rgb(pixels, 0)).toEqual([...BOUNDARY_PALETTE.low]);
    expect(rgb(pixels, 2)).toEqual([...BOUNDARY_PALETTE.high]);
    const field = decodeField(boundaryOf(pg.snapshotPlane().latest), 0);
    const values = decodeCompactArray(boundaryOf(pg.snapshotPlane().latest).payload.values).data;
    expect(field.scale).toBe(symmetricRange(values));
  });

  it("draws the 1-D set as a curve over the data's value range", () => {
    const frame = boundaryOf(pg.snapshotSine().latest);
    const field = decodeField(frame, 0);
    expect(field.curve?.length).toBe(frame.payload.resolution);
    const data = pg.dataSine();
    const [lo, hi] = lineRange(data, field.curve);
    for (const y of [...data.train_y, ...data.val_y, ...(field.curve ?? [])]) {
      expect(y).toBeGreaterThan(lo);
      expect(y).toBeLessThan(hi);
    }
  });
});

describe("image grid", () => {
  it("draws ink dark on light paper and lays images out nearly square", () => {
    expect([...inkPixels([0, 255], 0, 2)]).toEqual([255, 255, 255, 255, 0, 0, 0, 255]);
    expect(gridColumns(12)).toBe(4);
    expect(gridColumns(64)).toBe(8);
    expect(gridColumns(1000)).toBe(8);
    const samples = pg.samples();
    expect(decodeCompactArray(samples.images).shape).toEqual([samples.labels.length, 8, 8]);
  });
});

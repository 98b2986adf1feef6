import { describe, expect, it } from "vitest";
import { fixtures } from "../test/fixtures";
import { alignSeries } from "./lossCurves";

describe("alignSeries", () => {
  it("uses the server's train and validation loss as they are when their steps agree", () => {
    const { series } = fixtures.snapshot();
    const [x, train, val] = alignSeries([series["train/loss"], series["val/loss"]]);
    expect(x).toEqual(series["train/loss"]?.steps);
    expect(train).toEqual(series["train/loss"]?.values);
    expect(val).toEqual(series["val/loss"]?.values);
  });

  it("puts series with different steps on the union of steps, null where missing", () => {
    const aligned = alignSeries([
      { steps: [0, 10, 20], values: [3, 2, 1] },
      { steps: [10, 30], values: [5, null] },
      undefined,
    ]);
    expect(aligned).toEqual([
      [0, 10, 20, 30],
      [3, 2, 1, null],
      [null, 5, null, null],
      [null, null, null, null],
    ]);
  });
});

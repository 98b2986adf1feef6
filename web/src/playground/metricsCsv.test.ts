import { describe, expect, it } from "vitest";
import { pg } from "./test/pgFixtures";
import { perClassCsv, seriesCsv } from "./metricsCsv";

describe("seriesCsv", () => {
  it("writes one row per split and logged step, known metrics first, gaps empty", () => {
    const { text, rows } = seriesCsv({
      "train/loss": { steps: [0, 20, 40], values: [0.9, 0.5, 0.25] },
      "val/loss": { steps: [0, 20, 40], values: [1, 0.6, 0.3] },
      "val/accuracy": { steps: [0, 40], values: [0.5, 0.75] },
      "val/f1": { steps: [40], values: [0.7] },
      "grad/dense1.weight": { steps: [0], values: [3] },
    });
    expect(rows).toBe(6);
    expect(text).toBe(
      [
        "step,split,loss,accuracy,f1",
        "0,train,0.9,,",
        "20,train,0.5,,",
        "40,train,0.25,,",
        "0,val,1,0.5,",
        "20,val,0.6,,",
        "40,val,0.3,0.75,0.7",
        "",
      ].join("\n"),
    );
  });

  it("is a header only without any series", () => {
    expect(seriesCsv({})).toEqual({ text: "step,split\n", rows: 0 });
  });
});

describe("perClassCsv", () => {
  it("lists both splits' classes with their support from the confusion matrix", () => {
    const evaluation = pg.evaluationMulticlass();
    const lines = (perClassCsv(evaluation) ?? "").trim().split("\n");
    expect(lines[0]).toBe("split,class,precision,recall,f1,support");
    expect(lines).toHaveLength(1 + 2 * evaluation.class_names.length);
    const val = evaluation.splits.val;
    const row = lines[1 + evaluation.class_names.length + 2]?.split(",");
    expect(row).toEqual(["val", "2", String(val?.per_class_precision?.[2]), String(val?.per_class_recall?.[2]), String(val?.per_class_f1?.[2]), String(val?.confusion?.[2]?.reduce((a, b) => a + b))]);
  });

  it("has no per-class table for regression", () => {
    expect(perClassCsv(pg.evaluationRegression())).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { an } from "./test/fixtures";
import { barWidth, esdPlot, gaugeArc, layerRows, layersCsv, penalties, sortRows, uploadError } from "./model";

describe("analytics helpers on real reports", () => {
  it("merges layers, cost, spectra, tiers and findings into one row per layer", () => {
    const report = an.deadReport();
    const rows = layerRows(report);
    expect(rows.map((r) => r.name)).toEqual(report.layers.map((l) => l.name));
    const first = rows.find((r) => r.name === "0");
    expect(first?.findings).toBe(1); // the planted dead units
    expect(first?.params).toBe(16 * 32 + 32);
    expect(first?.flops).toBe(2 * 16 * 32); // one token through Linear(16, 32), estimated
    expect(first?.tier).toBe("memory-bound");
    expect(rows.filter((r) => r.findings > 0).map((r) => r.name)).toEqual(["0"]);
  });

  it("sorts numbers either way with missing values last", () => {
    const rows = layerRows(an.cnnReport());
    const desc = sortRows(rows, "params", false).map((r) => r.params);
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    const byAlpha = sortRows(rows, "alpha", true);
    const missing = byAlpha.findIndex((r) => r.alpha === null);
    if (missing >= 0) expect(byAlpha.slice(missing).every((r) => r.alpha === null)).toBe(true);
    expect(sortRows(rows, "name", false).map((r) => r.name)).toEqual(rows.map((r) => r.name).reverse());
  });

  it("traces every point lost to its finding", () => {
    const report = an.deadReport();
    const lost = penalties(report);
    expect(100 - lost.reduce((s, p) => s + p.points, 0)).toBe(report.health.score);
    expect(lost.map((p) => [p.finding.code, p.finding.layer])).toEqual([["dead_units", "0"]]);
    expect(penalties(an.healthyReport())).toEqual([]);
  });

  it("turns the server's refusals into actionable messages", () => {
    expect(uploadError(422, an.unsafe())).toMatch(/^Refused for safety — unsafe\.pt: refused: .*not executed.*datetime\.date/);
    expect(uploadError(422, an.corrupt())).toMatch(/^The file is damaged or incomplete: cut\.pt/);
    expect(uploadError(413, { error: { code: "too_large", message: "the model is larger than 10 bytes" } })).toMatch(/too large.*state_dict or safetensors/);
    expect(uploadError(0, null)).toMatch(/did not reach the server/);
  });

  it("draws the gauge and bars on fixed scales", () => {
    expect(gaugeArc(0)).toBe("M 10 52 A 40 40 0 0 1 10.00 52.00");
    expect(gaugeArc(100)).toBe("M 10 52 A 40 40 0 0 1 90.00 52.00");
    expect(gaugeArc(50)).toBe("M 10 52 A 40 40 0 0 1 50.00 12.00");
    expect(barWidth(5, 10)).toBe(50);
    expect(barWidth(null, 10)).toBe(0);
    expect(barWidth(20, 10)).toBe(100);
  });

  it("exports the layer table as CSV", () => {
    const rows = layerRows(an.deadReport());
    const lines = layersCsv(rows).trim().split("\n");
    expect(lines[0]).toBe("name,kind,role,params,flops,time_ms,output_shape,stable_rank,alpha,tier,findings");
    expect(lines).toHaveLength(rows.length + 1);
  });
});

describe("esdPlot", () => {
  it("places the empirical CCDF and the fitted tail by hand", () => {
    // 4 eigenvalues, tail of 2 above xmin 4 with alpha 3: P(X >= x) = (2/4) (x/4)^-2
    const plot = esdPlot([16, 4, 2, 1], 4, 4, 3);
    expect(plot.points[0]).toEqual([Math.log10(16), Math.log10(1 / 4)]);
    expect(plot.points[3]).toEqual([0, 0]);
    expect(plot.fit?.[0]).toEqual([Math.log10(4), Math.log10(0.5)]);
    expect(plot.fit?.[1][1]).toBeCloseTo(Math.log10(0.5 * (16 / 4) ** -2), 12);
    expect(esdPlot([3, 2], 2, null, null).fit).toBeNull();
  });
});

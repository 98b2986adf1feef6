import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ActivationsEvent } from "../../api/types";
import { ActivationHeatmaps, bandPixels } from "./ActivationHeatmaps";
import { classMeans } from "./ClassMeans";

/** float16 bit patterns of a few exact values. */
const HALF: Record<number, number> = { 0: 0x0000, 0.5: 0x3800, [-1]: 0xbc00, 2: 0x4000, 1: 0x3c00, [-0.25]: 0xb400 };

function half(rows: number[][]) {
  const bytes = new Uint8Array(rows.flat().length * 2);
  rows.flat().forEach((v, i) => {
    const bits = HALF[v] as number;
    bytes[i * 2] = bits & 0xff;
    bytes[i * 2 + 1] = bits >> 8;
  });
  return { shape: [rows.length, rows[0]?.length ?? 0], dtype: "float16" as const, data: btoa(String.fromCharCode(...bytes)) };
}

function event(): ActivationsEvent {
  return {
    run_id: "r",
    step: 150,
    time: 1,
    kind: "activations",
    payload: {
      probe: "validation (3 of 250, by class)",
      labels: [0, 1, 1],
      layers: [
        { layer: "act1", units: 2, values: half([[0.5, -1], [2, 0], [1, -0.25]]) },
        { layer: "act2", units: 100, values: half([[0], [1], [2]]) },
      ],
    },
  };
}

describe("ActivationHeatmaps", () => {
  it("draws a map per hidden layer with its size, the probe and the classes", () => {
    render(<ActivationHeatmaps event={event()} />);
    const maps = screen.getAllByTestId("pg-heatmap");
    expect(maps.map((m) => m.dataset.layer)).toEqual(["act1", "act2"]);
    expect(maps[0]?.querySelector("figcaption")?.textContent).toBe("act1 · 2 units × 3 samples");
    expect(maps[1]?.querySelector("figcaption")?.textContent).toBe("act2 · first 1 of 100 units × 3 samples");
    expect(screen.getByTestId("pg-heatmaps").textContent).toContain("at step 150, on validation (3 of 250, by class)");
    expect(screen.getByText("class 1")).toBeTruthy();
    const cells = screen.getAllByTestId("pg-heatmap-cells")[0] as HTMLElement;
    expect(cells.getAttribute("aria-label")).toContain("scale ±2");
  });

  it("reads cells by keyboard: focus starts at the first, arrows move and stop at the edges", () => {
    render(<ActivationHeatmaps event={event()} />);
    const cells = screen.getAllByTestId("pg-heatmap-cells")[0] as HTMLElement;
    const readout = () => screen.getAllByTestId("pg-heatmap-readout")[0]?.textContent;
    expect(cells.tabIndex).toBe(0);
    fireEvent.focus(cells);
    expect(readout()).toBe("sample 1 (class 0) · unit 1 → 0.500");
    fireEvent.keyDown(cells, { key: "ArrowRight" });
    expect(readout()).toBe("sample 1 (class 0) · unit 2 → -1.00");
    fireEvent.keyDown(cells, { key: "ArrowRight" });
    fireEvent.keyDown(cells, { key: "ArrowDown" });
    fireEvent.keyDown(cells, { key: "ArrowDown" });
    fireEvent.keyDown(cells, { key: "ArrowDown" });
    expect(readout()).toBe("sample 3 (class 1) · unit 2 → -0.250");
    fireEvent.blur(cells);
    expect(readout()).toContain("arrow keys");
  });

  it("reads the cell under the pointer", () => {
    render(<ActivationHeatmaps event={event()} />);
    const cells = screen.getAllByTestId("pg-heatmap-cells")[0] as HTMLElement;
    cells.getBoundingClientRect = () => ({ left: 0, top: 0, width: 100, height: 90, right: 100, bottom: 90, x: 0, y: 0, toJSON: () => null });
    fireEvent.pointerMove(cells, { clientX: 20, clientY: 40 });
    expect(screen.getAllByTestId("pg-heatmap-readout")[0]?.textContent).toBe("sample 2 (class 1) · unit 1 → 2.00");
  });

  it("says when there is nothing to show yet", () => {
    render(<ActivationHeatmaps event={null} />);
    expect(screen.getByText(/appear once the run has a model/)).toBeTruthy();
  });
});

describe("class means (images and tables)", () => {
  it("averages each unit over the samples of each class", () => {
    // rows: class 0, 1, 1; units: 2 -> unit 1: [0.5, 1.5], unit 2: [-1, -0.125]
    const means = classMeans([0.5, -1, 2, 0, 1, -0.25], 3, 2, [0, 1, 1], [0, 1]);
    expect(means).toEqual([
      [0.5, 1.5],
      [-1, -0.125],
    ]);
    expect(classMeans([1, 2], 2, 1, [0, 0], [0, 1])[0]?.[1]).toBeNaN();
  });

  it("draws a strip per unit only when asked", () => {
    const { rerender } = render(<ActivationHeatmaps event={event()} />);
    expect(screen.queryAllByTestId("pg-class-strip")).toHaveLength(0);
    rerender(<ActivationHeatmaps event={event()} byClass />);
    const strips = screen.getAllByTestId("pg-class-strip");
    expect(strips).toHaveLength(2 + 1); // act1's 2 units, act2's 1 shown unit
    expect(strips[0]?.getAttribute("aria-label")).toBe("unit 1: class 0 0.50, class 1 1.5");
  });
});

describe("class band", () => {
  it("is one opaque pixel per sample in its class colour", () => {
    expect([...bandPixels([0, 1, 12])]).toEqual([232, 133, 12, 255, 11, 111, 179, 255, 46, 160, 67, 255]);
  });
});

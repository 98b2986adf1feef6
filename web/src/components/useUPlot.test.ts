import { renderHook } from "@testing-library/react";
import type uPlot from "uplot";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useUPlot, type UPlotConfig } from "./useUPlot";

// jsdom has neither a canvas nor ResizeObserver: a stand-in uPlot records what the hook asks of
// it, and a stand-in observer lets the test fire a resize.
const fake = vi.hoisted(() => {
  class FakePlot {
    static made: FakePlot[] = [];
    destroyed = false;
    sizes: { width: number; height: number }[] = [];
    dataSet: unknown[] = [];
    constructor(
      public options: { width: number; height: number; title?: string },
      public data: unknown,
      public host: HTMLElement,
    ) {
      FakePlot.made.push(this);
    }
    setData(data: unknown) {
      this.dataSet.push(data);
      this.data = data;
    }
    setSize(size: { width: number; height: number }) {
      this.sizes.push(size);
    }
    destroy() {
      this.destroyed = true;
    }
  }
  class FakeObserver {
    static live: FakeObserver[] = [];
    observed: Element[] = [];
    constructor(public callback: () => void) {
      FakeObserver.live.push(this);
    }
    observe(el: Element) {
      this.observed.push(el);
    }
    disconnect() {
      FakeObserver.live = FakeObserver.live.filter((o) => o !== this);
    }
  }
  return { FakePlot, FakeObserver };
});
vi.mock("uplot", () => ({ default: fake.FakePlot }));
vi.mock("./canvas", () => ({ canvasSupported: () => true }));

const { FakePlot, FakeObserver } = fake;

function host(width: number): HTMLDivElement {
  const el = document.createElement("div");
  Object.defineProperty(el, "clientWidth", { value: width, configurable: true });
  return el;
}

/** A ref as useRef gives one: the same object on every render. */
const refTo = (el: HTMLElement) => ({ current: el });

function config(data: uPlot.AlignedData, rebuildKey = "a", title = "t"): UPlotConfig {
  return { options: () => ({ title, series: [] }), data, height: 180, rebuildKey };
}

const ONE: uPlot.AlignedData = [[1], [0.5]];
const TWO: uPlot.AlignedData = [
  [1, 2],
  [0.5, 0.25],
];

beforeEach(() => {
  FakePlot.made = [];
  FakeObserver.live = [];
  vi.stubGlobal("ResizeObserver", FakeObserver);
});
afterEach(() => vi.unstubAllGlobals());

describe("useUPlot", () => {
  it("creates the plot once, sized to its host, and passes new data in without recreating it", () => {
    const el = host(640);
    const ref = refTo(el);
    const { result, rerender } = renderHook(({ c }) => useUPlot(ref, c), { initialProps: { c: config(ONE) } });
    expect(FakePlot.made).toHaveLength(1);
    const plot = FakePlot.made[0];
    expect(plot?.options).toMatchObject({ title: "t", width: 640, height: 180 });
    expect(plot?.data).toBe(ONE);
    expect(plot?.host).toBe(el);
    expect(result.current.current).toBe(plot);

    rerender({ c: config(TWO) });
    expect(FakePlot.made).toHaveLength(1);
    expect(plot?.dataSet).toEqual([TWO]);
    rerender({ c: config(TWO) }); // same data: nothing to do
    expect(plot?.dataSet).toEqual([TWO]);
  });

  it("waits for a first point, and rebuilds with the newest options and data when the key changes", () => {
    const ref = refTo(host(640));
    const empty: uPlot.AlignedData = [[], []];
    const { result, rerender } = renderHook(({ c }) => useUPlot(ref, c), {
      initialProps: { c: config(empty) },
    });
    expect(FakePlot.made).toHaveLength(0);
    expect(result.current.current).toBeNull();

    rerender({ c: config(ONE) });
    expect(FakePlot.made).toHaveLength(1);

    rerender({ c: config(TWO, "b", "new title") });
    expect(FakePlot.made).toHaveLength(2);
    expect(FakePlot.made[0]?.destroyed).toBe(true);
    expect(FakePlot.made[1]?.options).toMatchObject({ title: "new title", width: 640 });
    expect(FakePlot.made[1]?.data).toBe(TWO);
    expect(result.current.current).toBe(FakePlot.made[1]);
  });

  it("follows the host's width on a ResizeObserver callback, never below the minimum", () => {
    const el = host(640);
    const ref = refTo(el);
    renderHook(() => useUPlot(ref, { ...config(ONE), minWidth: 300 }));
    const [observer] = FakeObserver.live;
    expect(observer?.observed).toEqual([el]);
    Object.defineProperty(el, "clientWidth", { value: 900 });
    observer?.callback();
    Object.defineProperty(el, "clientWidth", { value: 120 });
    observer?.callback();
    expect(FakePlot.made[0]?.sizes).toEqual([
      { width: 900, height: 180 },
      { width: 300, height: 180 },
    ]);
  });

  it("destroys the plot and stops observing on unmount", () => {
    const ref = refTo(host(640));
    const { result, unmount } = renderHook(() => useUPlot(ref, config(ONE)));
    expect(FakeObserver.live).toHaveLength(1);
    unmount();
    expect(FakePlot.made[0]?.destroyed).toBe(true);
    expect(FakeObserver.live).toHaveLength(0);
    expect(result.current.current).toBeNull();
  });
});

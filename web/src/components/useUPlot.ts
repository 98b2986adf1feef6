/**
 * One uPlot chart's lifecycle in React, for every uPlot chart of the app: create the plot in
 * the host element once there is data, follow the host's width (ResizeObserver), pass new
 * data in with `setData` (no rebuild), and destroy it on unmount or when `rebuildKey` changes.
 */

import { useEffect, useRef, type RefObject } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { canvasSupported } from "./canvas";

export interface UPlotConfig {
  /** The plot's options without its size; read only when the plot is (re)created. */
  options: () => Omit<uPlot.Options, "width" | "height">;
  data: uPlot.AlignedData;
  height: number;
  /** The narrowest the plot gets, in pixels. */
  minWidth?: number;
  /** What the options depend on that `setData` cannot change: a new key rebuilds the plot. */
  rebuildKey: string;
}

/**
 * The plot of `hostRef`'s element (null while there is none). uPlot cannot lay out axes without
 * a single point, and jsdom has no canvas: then there is no plot, and the caller shows a message.
 */
export function useUPlot(
  hostRef: RefObject<HTMLElement | null>,
  { options, data, height, minWidth = 200, rebuildKey }: UPlotConfig,
): RefObject<uPlot | null> {
  const plotRef = useRef<uPlot | null>(null);
  const dataRef = useRef(data);
  const optionsRef = useRef(options);
  const hasData = data[0].length > 0;

  // Declared first, so a plot created in the same commit starts from the newest options and data.
  useEffect(() => {
    optionsRef.current = options;
  });

  useEffect(() => {
    dataRef.current = data;
    plotRef.current?.setData(data);
  }, [data]);

  useEffect(() => {
    const host = hostRef.current;
    if (!host || !hasData || !canvasSupported()) return;
    const width = () => Math.max(minWidth, host.clientWidth);
    const plot = new uPlot({ ...optionsRef.current(), width: width(), height }, dataRef.current, host);
    plotRef.current = plot;
    const observer =
      typeof ResizeObserver === "function" ? new ResizeObserver(() => plot.setSize({ width: width(), height })) : null;
    observer?.observe(host);
    return () => {
      observer?.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [hostRef, rebuildKey, height, minWidth, hasData]);

  return plotRef;
}

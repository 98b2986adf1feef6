/**
 * The curves of 2-4 runs overlaid in one uPlot chart: one colour per configuration (the
 * legend names them), one metric of one split at a time (the page's toggles choose which).
 */

import { useEffect, useMemo, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { Series } from "../../api/types";
import { canvasSupported } from "../../components/canvas";
import { alignSeries, type Aligned } from "../../components/lossCurves";
import { formatNumber } from "../../format";

export interface OverlayLine {
  label: string;
  color: string;
  series: Series | undefined;
}

interface Props {
  lines: readonly OverlayLine[];
  /** Axis title, e.g. "validation loss". */
  title: string;
  height?: number;
}

function options(width: number, height: number, lines: readonly OverlayLine[], title: string): uPlot.Options {
  return {
    width,
    height,
    scales: { x: { time: false }, y: { auto: true } },
    axes: [
      { label: "step" },
      { label: title, size: 64, values: (_u, splits) => splits.map((v) => (v === null ? "" : formatNumber(v))) },
    ],
    series: [{ label: "step" }, ...lines.map((l) => ({ label: l.label, stroke: l.color, width: 2, spanGaps: true }))],
    legend: { live: true },
  };
}

export function OverlayChart({ lines, title, height = 280 }: Props) {
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const data = useMemo(() => alignSeries(lines.map((l) => l.series)), [lines]);
  const dataRef = useRef<Aligned>(data);
  const points = data[0].length;
  const hasData = points > 0;
  // The plot is rebuilt when its lines' labels or colours change, not on every new point.
  const shape = lines.map((l) => `${l.label}|${l.color}`).join(";");
  const linesRef = useRef(lines);

  // Declared first, so a plot created in the same commit starts from the newest lines and data.
  useEffect(() => {
    linesRef.current = lines;
    dataRef.current = data;
    plotRef.current?.setData(data as uPlot.AlignedData);
  }, [data, lines]);

  useEffect(() => {
    const host = hostRef.current;
    if (!host || !hasData || !canvasSupported()) return;
    const width = Math.max(200, host.clientWidth);
    const plot = new uPlot(options(width, height, linesRef.current, title), dataRef.current as uPlot.AlignedData, host);
    plotRef.current = plot;
    const observer =
      typeof ResizeObserver === "function"
        ? new ResizeObserver(() => plot.setSize({ width: Math.max(200, host.clientWidth), height }))
        : null;
    observer?.observe(host);
    return () => {
      observer?.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [shape, title, height, hasData]);

  return (
    <div className="pg-overlay-chart" data-testid="pg-overlay-chart" data-points={points} data-lines={lines.length}>
      <div ref={hostRef} className="loss-chart-plot" role="img" aria-label={`${title} of ${lines.map((l) => l.label).join(", ")} over ${points} logged steps`} />
      {points === 0 && <p className="chart-empty">No {title} values yet: the runs are starting.</p>}
    </div>
  );
}

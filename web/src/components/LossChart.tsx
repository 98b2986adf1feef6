/**
 * Train and validation loss against step (uPlot), with a vertical line and a label for every
 * marker: hyperparameter changes ("lr 0.03→0.1"), status changes and findings.
 */

import { useEffect, useMemo, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { Marker } from "../api/liveState";
import type { Series } from "../api/types";
import { formatNumber, markerLabel } from "../format";
import { canvasSupported } from "./canvas";
import { alignSeries, MARKER_COLORS, type Aligned } from "./lossCurves";

interface Props {
  train: Series | undefined;
  validation: Series | undefined;
  markers: Marker[];
  logScale: boolean;
  height?: number;
}

const TRAIN_COLOR = "#2563eb";
const VAL_COLOR = "#ea580c";

function drawMarkers(u: uPlot, markers: readonly Marker[]): void {
  const { ctx } = u;
  const { top, height, left, width } = u.bbox;
  const ratio = uPlot.pxRatio;
  ctx.save();
  ctx.font = `${11 * ratio}px system-ui, sans-serif`;
  ctx.textBaseline = "top";
  let lastRight = -Infinity;
  let row = 0;
  for (const marker of markers) {
    const x = Math.round(u.valToPos(marker.step, "x", true));
    if (x < left - 1 || x > left + width + 1) continue;
    const color = MARKER_COLORS[marker.kind];
    ctx.strokeStyle = color;
    ctx.lineWidth = ratio;
    ctx.setLineDash([4 * ratio, 3 * ratio]);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    // Stagger labels that would overlap the previous one.
    const text = markerLabel(marker);
    const textWidth = ctx.measureText(text).width;
    row = x < lastRight ? (row + 1) % 3 : 0;
    ctx.fillStyle = color;
    ctx.fillText(text, Math.min(x + 3 * ratio, left + width - textWidth), top + (2 + row * 13) * ratio);
    lastRight = x + textWidth + 6 * ratio;
  }
  ctx.restore();
}

function options(width: number, height: number, logScale: boolean, markers: { current: Marker[] }): uPlot.Options {
  return {
    width,
    height,
    scales: { x: { time: false }, y: logScale ? { distr: 3 } : { auto: true } },
    axes: [
      { label: "step" },
      { label: "loss", size: 64, values: (_u, splits) => splits.map((v) => (v === null ? "" : formatNumber(v))) },
    ],
    series: [
      { label: "step" },
      { label: "train loss", stroke: TRAIN_COLOR, width: 2, spanGaps: true },
      { label: "validation loss", stroke: VAL_COLOR, width: 2, spanGaps: true },
    ],
    legend: { live: true },
    hooks: { draw: [(u) => drawMarkers(u, markers.current)] },
  };
}

/** uPlot cannot draw non-positive values on a log axis: leave them out. */
function forLog(data: Aligned): Aligned {
  const [x, ...ys] = data;
  return [x, ...ys.map((col) => col.map((v) => (v !== null && v > 0 ? v : null)))];
}

export function LossChart({ train, validation, markers, logScale, height = 260 }: Props) {
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const markersRef = useRef<Marker[]>(markers);
  const data = useMemo(() => {
    const aligned = alignSeries([train, validation]);
    return logScale ? forLog(aligned) : aligned;
  }, [train, validation, logScale]);
  const dataRef = useRef<Aligned>(data);
  const points = data[0].length;
  const hasData = points > 0;

  // Declared first, so a plot created in the same commit starts from the newest data.
  useEffect(() => {
    markersRef.current = markers;
    plotRef.current?.redraw(false);
  }, [markers]);

  useEffect(() => {
    dataRef.current = data;
    plotRef.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  // (Re)create the plot when the scale type changes; follow the host's width. uPlot cannot
  // lay out axes without a single point, so an empty chart is only the message below.
  useEffect(() => {
    const host = hostRef.current;
    if (!host || !hasData || !canvasSupported()) return;
    const width = Math.max(200, host.clientWidth);
    const plot = new uPlot(options(width, height, logScale, markersRef), dataRef.current as uPlot.AlignedData, host);
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
  }, [logScale, height, hasData]);

  return (
    <div className="loss-chart" data-testid="loss-chart" data-points={points}>
      <div
        ref={hostRef}
        className="loss-chart-plot"
        role="img"
        aria-label={`Training and validation loss over ${points} logged steps`}
      />
      {points === 0 && <p className="chart-empty">No loss values yet: press Train to start a run.</p>}
    </div>
  );
}

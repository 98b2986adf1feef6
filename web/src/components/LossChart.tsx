/**
 * Train and validation loss against step (uPlot), with a vertical line and a label for every
 * marker: hyperparameter changes ("lr 0.03→0.1"), status changes and findings.
 */

import { useEffect, useMemo, useRef } from "react";
import uPlot from "uplot";
import type { Marker } from "../api/liveState";
import type { Series } from "../api/types";
import { formatNumber, markerLabel } from "../format";
import { alignSeries, MARKER_COLORS, type Aligned } from "./lossCurves";
import { useUPlot } from "./useUPlot";

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

function options(logScale: boolean, markers: { current: Marker[] }): Omit<uPlot.Options, "width" | "height"> {
  return {
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
  const markersRef = useRef<Marker[]>(markers);
  const data = useMemo(() => {
    const aligned = alignSeries([train, validation]);
    return logScale ? forLog(aligned) : aligned;
  }, [train, validation, logScale]);
  const points = data[0].length;

  // Rebuilt when the scale type changes; an empty chart is only the message below.
  const plotRef = useUPlot(hostRef, {
    options: () => options(logScale, markersRef),
    data: data as uPlot.AlignedData,
    height,
    rebuildKey: logScale ? "log" : "linear",
  });

  // The draw hook reads the newest markers; new markers only need a redraw.
  useEffect(() => {
    markersRef.current = markers;
    plotRef.current?.redraw(false);
  }, [markers, plotRef]);

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

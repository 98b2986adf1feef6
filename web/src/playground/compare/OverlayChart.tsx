/**
 * The curves of 2-4 runs overlaid in one uPlot chart: one colour per configuration (the
 * legend names them), one metric of one split at a time (the page's toggles choose which).
 */

import { useMemo, useRef } from "react";
import type uPlot from "uplot";
import type { Series } from "../../api/types";
import { alignSeries } from "../../components/lossCurves";
import { useUPlot } from "../../components/useUPlot";
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

function options(lines: readonly OverlayLine[], title: string): Omit<uPlot.Options, "width" | "height"> {
  return {
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
  const data = useMemo(() => alignSeries(lines.map((l) => l.series)), [lines]);
  const points = data[0].length;
  // The plot is rebuilt when its lines' labels or colours change, not on every new point.
  const shape = lines.map((l) => `${l.label}|${l.color}`).join(";");
  useUPlot(hostRef, {
    options: () => options(lines, title),
    data: data as uPlot.AlignedData,
    height,
    rebuildKey: `${title}\n${shape}`,
  });

  return (
    <div className="pg-overlay-chart" data-testid="pg-overlay-chart" data-points={points} data-lines={lines.length}>
      <div ref={hostRef} className="loss-chart-plot" role="img" aria-label={`${title} of ${lines.map((l) => l.label).join(", ")} over ${points} logged steps`} />
      {points === 0 && <p className="chart-empty">No {title} values yet: the runs are starting.</p>}
    </div>
  );
}

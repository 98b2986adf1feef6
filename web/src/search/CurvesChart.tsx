/** Intermediate values: validation accuracy per epoch of several trials (uPlot). */

import { useMemo, useRef } from "react";
import type uPlot from "uplot";
import type { TrialSummary } from "../api/types";
import { useUPlot } from "../components/useUPlot";

const PALETTE = ["#2563eb", "#ea580c", "#16a34a", "#7c3aed", "#db2777", "#0891b2", "#ca8a04", "#64748b"];

export function curveData(trials: TrialSummary[]): uPlot.AlignedData {
  const epochs = Math.max(0, ...trials.map((t) => t.curve.length ? (t.curve[t.curve.length - 1]?.epoch ?? 0) : 0));
  const x = Array.from({ length: epochs }, (_, i) => i + 1);
  const ys = trials.map((t) => {
    const byEpoch = new Map(t.curve.map((p) => [p.epoch, p.val_accuracy * 100]));
    return x.map((e) => byEpoch.get(e) ?? null);
  });
  return [x, ...ys] as uPlot.AlignedData;
}

export function CurvesChart({ trials, best }: { trials: TrialSummary[]; best: number | null }) {
  const box = useRef<HTMLDivElement>(null);
  const withCurves = trials.filter((t) => t.curve.length > 0);
  const key = withCurves.map((t) => `${t.number}:${t.curve.length}`).join(",");
  // Curves only grow: new points (key) are new data; new trials or a new best, a new plot.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- withCurves is new each render
  const data = useMemo(() => curveData(withCurves), [key]);
  useUPlot(box, {
    options: () => ({
      scales: { x: { time: false } },
      axes: [{ label: "epoch", incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500] }, { label: "val. accuracy %", size: 56 }],
      series: [
        { label: "epoch" },
        ...withCurves.map((t, i) => ({
          label: `trial ${t.number}`,
          stroke: t.number === best ? "#111827" : (PALETTE[i % PALETTE.length] as string),
          width: t.number === best ? 3 : 1.5,
          spanGaps: true,
        })),
      ],
      legend: { show: withCurves.length <= 12 },
    }),
    data,
    height: 220,
    minWidth: 260,
    rebuildKey: `${withCurves.map((t) => t.number).join(",")}|${best}`,
  });

  if (withCurves.length === 0) return <p className="empty">No curve points yet: they appear after each trial's first epoch.</p>;
  return <div ref={box} className="search-curves" data-testid="curves-chart" aria-label={`Validation accuracy per epoch of ${withCurves.length} trials`} role="img" />;
}

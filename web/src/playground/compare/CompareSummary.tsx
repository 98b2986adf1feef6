/** The latest metrics of each compared configuration, best validation value marked. */

import { latestValue, type LiveState } from "../../api/liveState";
import { sessionConfig } from "../../api/types";
import { formatLoss, formatPercent } from "../../format";
import { describeConfig } from "./describe";
import { CONFIG_COLORS, CONFIG_NAMES } from "./variants";

interface Column {
  name: string;
  title: string;
  format: (v: number) => string;
  /** Which end is better, to mark the best run. */
  better: "low" | "high";
}

const LOSS: Column[] = [
  { name: "train/loss", title: "train loss", format: formatLoss, better: "low" },
  { name: "val/loss", title: "validation loss", format: formatLoss, better: "low" },
];
const ACCURACY: Column[] = [
  { name: "train/accuracy", title: "train accuracy", format: formatPercent, better: "high" },
  { name: "val/accuracy", title: "validation accuracy", format: formatPercent, better: "high" },
];

export function CompareSummary({ runIds, states }: { runIds: readonly string[]; states: readonly LiveState[] }) {
  const columns = states.some((s) => s.series["val/accuracy"]) ? [...LOSS, ...ACCURACY] : LOSS;
  const values = states.map((s) => columns.map((c) => latestValue(s, c.name)));
  const best = columns.map((c, j) => {
    const col = values.map((row) => row[j]).filter((v): v is number => v !== null && v !== undefined);
    if (col.length < 2) return null;
    return c.better === "low" ? Math.min(...col) : Math.max(...col);
  });
  return (
    <div className="table-scroll">
      <table className="data-table compact" data-testid="pg-compare-summary">
        <caption>Latest metrics of each configuration (best in bold)</caption>
        <thead>
          <tr>
            <th scope="col">run</th>
            <th scope="col">setup</th>
            <th scope="col">status</th>
            <th scope="col" className="num">step</th>
            {columns.map((c) => (
              <th key={c.name} scope="col" className="num">
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {runIds.map((id, i) => {
            const state = states[i];
            const config = state?.run ? sessionConfig(state.run) : null;
            return (
              <tr key={id} data-testid="pg-compare-summary-row">
                <th scope="row">
                  <span className="pg-compare-swatch" style={{ background: CONFIG_COLORS[i] }} aria-hidden="true" />
                  {CONFIG_NAMES[i]}
                </th>
                <td>{config ? describeConfig(config) : "…"}</td>
                <td>{state?.status ?? "…"}</td>
                <td className="num">{state?.step ?? 0}</td>
                {columns.map((c, j) => {
                  const v = values[i]?.[j];
                  const isBest = v !== null && v !== undefined && v === best[j];
                  return (
                    <td key={c.name} className={`num${isBest ? " pg-compare-best" : ""}`}>
                      {v === null || v === undefined ? "–" : c.format(v)}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Sortable layer insights: cost, spectral hints, efficiency tier and findings per layer. */

import { useMemo, useState } from "react";
import type { ModelReport } from "../api/types";
import { Panel } from "../components/Panel";
import { formatCount, formatMs, formatNumber, layerRows, layersCsv, sortRows, type SortKey } from "./model";
import { saveText } from "../components/saveFile";

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: "name", label: "Layer" },
  { key: "params", label: "Params" },
  { key: "flops", label: "FLOPs" },
  { key: "timeMs", label: "Time" },
  { key: "stableRank", label: "Stable rank" },
  { key: "alpha", label: "α (hint)" },
  { key: "findings", label: "Findings" },
];

interface Props {
  report: ModelReport;
  /** The layer picked in the architecture graph: its row is marked. */
  selected?: string | null;
  onSelect?: (layer: string | null) => void;
}

export function LayerTable({ report, selected = null, onSelect }: Props) {
  const [sort, setSort] = useState<{ key: SortKey; asc: boolean }>({ key: "name", asc: true });
  const rows = useMemo(() => sortRows(layerRows(report), sort.key, sort.asc), [report, sort]);
  const inferred = report.layers.some((l) => l.inferred);
  return (
    <Panel
      title="Layer insights"
      className="panel-wide"
      actions={
        <button type="button" className="button button-quiet" onClick={() => saveText("layers.csv", layersCsv(rows), "text/csv")}>
          Export CSV
        </button>
      }
    >
      {inferred && <p className="hint">Layers inferred from parameter names and shapes (no module tree in this file).</p>}
      <div className="an-table-wrap">
        <table className="an-table" data-testid="an-layers">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.key} aria-sort={sort.key === c.key ? (sort.asc ? "ascending" : "descending") : undefined}>
                  <button
                    type="button"
                    className="an-sort"
                    onClick={() => setSort({ key: c.key, asc: sort.key === c.key ? !sort.asc : c.key === "name" })}
                  >
                    {c.label}
                    {sort.key === c.key ? (sort.asc ? " ▲" : " ▼") : ""}
                  </button>
                </th>
              ))}
              <th>Kind</th>
              <th>Output</th>
              <th>Tier</th>
              <th>Spectral hint</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.name}
                data-layer={r.name}
                tabIndex={-1}
                data-selected={r.name === selected || undefined}
                className={[r.findings > 0 ? "an-row-flagged" : "", r.name === selected ? "an-row-selected" : ""].join(" ").trim() || undefined}
              >
                <td>
                  {onSelect ? (
                    <button type="button" className="an-layer-link" aria-label={`Select ${r.name || "(root)"} in the graph`} onClick={() => onSelect(r.name === selected ? null : r.name)}>
                      <code>{r.name || "(root)"}</code>
                    </button>
                  ) : (
                    <code>{r.name || "(root)"}</code>
                  )}
                </td>
                <td className="num">{formatCount(r.params)}</td>
                <td className="num">{formatCount(r.flops)}</td>
                <td className="num">{formatMs(r.timeMs)}</td>
                <td className="num">{formatNumber(r.stableRank, 1)}</td>
                <td className="num">{formatNumber(r.alpha)}</td>
                <td className="num">{r.findings || ""}</td>
                <td>{r.kind}{r.role ? ` · ${r.role}` : ""}</td>
                <td>{r.outputShape}</td>
                <td>{r.tier ?? "—"}</td>
                <td className="an-hint-cell">{r.hint}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

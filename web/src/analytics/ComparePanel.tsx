/** Two or more models side by side, with the server's recommendation and its reason. */

import type { ModelComparison } from "../api/types";
import { Panel } from "../components/Panel";
import { formatCount, formatMs, formatNumber } from "./model";

export function ComparePanel({ comparison }: { comparison: ModelComparison }) {
  const rows = comparison.rows;
  const line = (label: string, cell: (r: (typeof rows)[number]) => string) => (
    <tr>
      <th scope="row">{label}</th>
      {rows.map((r) => (
        <td key={r.name} className="num">
          {cell(r)}
        </td>
      ))}
    </tr>
  );
  return (
    <Panel title="Comparison" className="panel-wide an-compare">
      <p className="an-recommendation" data-testid="an-recommended">
        Recommended: <strong>{comparison.recommended}</strong> — {comparison.reason}
      </p>
      <div className="an-table-wrap">
        <table className="an-table">
          <thead>
            <tr>
              <th scope="col">Model</th>
              {rows.map((r) => (
                <th scope="col" key={r.name} className={r.name === comparison.recommended ? "an-best" : undefined}>
                  {r.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {line("Architecture", (r) => r.architecture)}
            {line("Health score", (r) => String(r.health_score))}
            {line("Warnings", (r) => String(r.warnings))}
            {line("Critical", (r) => String(r.criticals))}
            {line("Parameters", (r) => formatCount(r.total_params))}
            {line("FLOPs", (r) => formatCount(r.flops))}
            {line("Latency p50, batch 1", (r) => formatMs(r.p50_ms_batch1))}
            {line("Median α", (r) => formatNumber(r.median_alpha))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

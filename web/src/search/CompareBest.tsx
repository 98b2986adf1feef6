/**
 * The accuracy-only best and the health-aware best trial side by side: why health matters.
 * A net can top the accuracy ranking while half its units are dead, its loss spikes, or its
 * accuracy depends on which validation split it met; the health-aware best trades a little
 * accuracy for a net that trained soundly and is usually smaller.
 */

import type { BestComparison, TrialSummary } from "../api/types";
import { formatParams, healthColor } from "./format";

const ROWS: { label: string; help: string; get(t: TrialSummary): number | null; format(v: number): string; better: "high" | "low" }[] = [
  { label: "Validation accuracy", help: "what accuracy-only search maximises", get: (t) => t.metrics?.val_accuracy ?? null, format: (v) => `${(v * 100).toFixed(1)}%`, better: "high" },
  { label: "Health score", help: "weighted accuracy and health metrics, 0–100", get: (t) => t.metrics?.health ?? null, format: (v) => v.toFixed(1), better: "high" },
  { label: "Utilization", help: "share of live neurons", get: (t) => t.metrics?.components.utilization ?? null, format: (v) => `${(v * 100).toFixed(0)}%`, better: "high" },
  { label: "Stability", help: "no rises or spikes in the training loss", get: (t) => t.metrics?.components.stability ?? null, format: (v) => v.toFixed(2), better: "high" },
  { label: "Consistency", help: "same accuracy on every validation split", get: (t) => t.metrics?.components.consistency ?? null, format: (v) => v.toFixed(2), better: "high" },
  { label: "Gradient health", help: "gradients neither vanish nor explode", get: (t) => t.metrics?.components.gradient_health ?? null, format: (v) => v.toFixed(2), better: "high" },
  { label: "Size", help: "parameters: smaller is cheaper to run and less prone to over-fit", get: (t) => t.metrics?.params ?? null, format: formatParams, better: "low" },
];

export function CompareBest({ compare, onSelect }: { compare: BestComparison; onSelect(n: number): void }) {
  const { accuracy_best: acc, health_best: health } = compare;
  if (!acc || !health) return <p className="empty">The comparison appears once a trial has completed.</p>;
  return (
    <div data-testid="compare">
      {compare.same ? (
        <p className="search-help">Trial {acc.number} is best by both measures: the most accurate net in this study is also the healthiest.</p>
      ) : (
        <p className="search-help">
          Trial {acc.number} is the most accurate; trial {health.number} trained the healthiest net. Accuracy alone can reward a net with dead units, an unstable loss or a lucky split — it may not hold up on new data.
        </p>
      )}
      <div className="search-scroll">
        <table className="search-compare">
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col">
                <button type="button" className="button button-quiet" onClick={() => onSelect(acc.number)}>
                  Accuracy-only best (trial {acc.number})
                </button>
              </th>
              <th scope="col">
                <button type="button" className="button button-quiet" onClick={() => onSelect(health.number)}>
                  Health-aware best (trial {health.number})
                </button>
              </th>
            </tr>
          </thead>
          <tbody>
            {ROWS.map((row) => {
              const [a, h] = [row.get(acc), row.get(health)];
              const win = a === null || h === null || a === h ? null : (row.better === "high") === h > a ? "h" : "a";
              return (
                <tr key={row.label}>
                  <th scope="row">
                    {row.label}
                    <span className="search-help"> — {row.help}</span>
                  </th>
                  <td className={win === "a" ? "search-win" : ""}>{a === null ? "—" : row.format(a)}</td>
                  <td className={win === "h" ? "search-win" : ""}>{h === null ? "—" : row.format(h)}</td>
                </tr>
              );
            })}
            <tr>
              <th scope="row">Findings</th>
              <td>{acc.metrics?.findings?.join(", ") || "none"}</td>
              <td style={{ color: healthColor(health.metrics ? health.metrics.health / 100 : null) }}>{health.metrics?.findings?.join(", ") || "none"}</td>
            </tr>
          </tbody>
        </table>
      </div>
    </div>
  );
}

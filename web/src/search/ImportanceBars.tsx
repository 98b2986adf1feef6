/** Parameter importance as bars, each with what the hyperparameter does. */

import type { Importance } from "../api/types";

export function ImportanceBars({ importance, help }: { importance: Importance; help: Record<string, string> }) {
  if (importance.params.length === 0) {
    return <p className="empty">No importances yet: {importance.reason ?? "not enough completed trials"}.</p>;
  }
  const max = Math.max(...importance.params.map((p) => p.importance), 1e-9);
  return (
    <div>
      <p className="search-help">How much of the variation in {importance.objective} each hyperparameter explains (PED-ANOVA over the completed trials; shares sum to 100%).</p>
      <ul className="search-bars" data-testid="importance">
        {importance.params.map((p) => (
          <li key={p.name}>
            <span className="search-bar-label">
              <code>{p.name}</code> {(p.importance * 100).toFixed(0)}%
            </span>
            <span className="search-bar" aria-hidden="true">
              <span style={{ width: `${(100 * p.importance) / max}%` }} />
            </span>
            {help[p.name] && <span className="search-help">{help[p.name]}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

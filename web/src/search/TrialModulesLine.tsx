/** A trial's functional modules in one line (issue #7): count, Q, p, alerts (last hidden layer). */

import type { TrialSummary } from "../api/types";

export type TrialModules = NonNullable<TrialSummary["modules"]>;

function num(v: number | null | undefined, digits: number): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(digits);
}

function pValue(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return "–";
  return p < 0.001 ? "<0.001" : p.toFixed(3);
}

/** The line's text, e.g. "3 modules · Q 0.42 · p <0.001 · dominant 61% · alerts: dead module". */
export function modulesText(m: TrialModules): string {
  const parts = [
    m.significant ? `${m.modules} module${m.modules === 1 ? "" : "s"}` : "no modular structure",
    `Q ${num(m.modularity, 2)}`,
    `p ${pValue(m.p_value)}`,
  ];
  if (m.dominant_share !== null && m.dominant_share !== undefined) parts.push(`dominant ${(100 * m.dominant_share).toFixed(0)}%`);
  parts.push(m.alerts.length ? `alerts: ${m.alerts.map((a) => a.replaceAll("_", " ")).join(", ")}` : "no alerts");
  return parts.join(" · ");
}

export function TrialModulesLine({ modules }: { modules: TrialModules }) {
  const title =
    `Functional modules of ${modules.layer} (${modules.units} units, ${modules.dead_units} dead) on ` +
    `${modules.probe_samples} validation samples after epoch ${modules.epoch}; largest module ` +
    `${num(modules.largest_share === null ? null : 100 * modules.largest_share, 0)}% of the live units; ` +
    `${modules.changes} module changes during training`;
  return (
    <span className="search-card-metrics search-card-modules" data-testid="trial-modules" title={title}>
      Modules: {modulesText(modules)}
    </span>
  );
}

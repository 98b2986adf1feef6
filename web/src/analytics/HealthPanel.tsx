/** Health gauge and its breakdown: every point lost links to the Finding it comes from. */

import type { ModelReport } from "../api/types";
import { SavePng } from "../components/ChartExport";
import { Panel } from "../components/Panel";
import { evidenceText, findingsBySeverity, gaugeArc, penalties, scoreClass } from "./model";

export function HealthPanel({ report }: { report: ModelReport }) {
  const score = report.health.score;
  const lost = penalties(report);
  return (
    <Panel title="Health" className="an-health" actions={<SavePng name={`${report.source}-health`} selector="svg.an-gauge" testId="an-gauge-png" />}>
      <div className="an-health-top">
        <svg viewBox="0 0 100 60" className={`an-gauge ${scoreClass(score)}`} role="img" aria-label={`Health score ${score} of 100`}>
          <path d="M 10 52 A 40 40 0 0 1 90 52" className="an-gauge-track" />
          {score > 0 && <path d={gaugeArc(score)} className="an-gauge-value" />}
          <text x="50" y="50" textAnchor="middle" className="an-gauge-text">
            {score}
          </text>
        </svg>
        <div>
          <p className="an-score-line" data-testid="an-score">
            <strong>{score}</strong> / 100
          </p>
          <p className="hint">{report.health.formula}</p>
          {lost.length === 0 ? (
            <p>No point lost: no warning or critical finding.</p>
          ) : (
            <ul className="an-breakdown" aria-label="Points lost">
              {lost.map((p) => (
                <li key={p.index}>
                  <a href={`#an-finding-${p.index}`} onClick={(e) => focusFinding(e, p.index)}>
                    −{p.points} {p.finding.code}
                    {p.finding.layer ? ` (${p.finding.layer})` : ""}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      <h3 className="subheading">Findings ({report.findings.length})</h3>
      {report.findings.length === 0 ? (
        <p className="empty">Nothing to report.</p>
      ) : (
        <ol className="an-findings">
          {findingsBySeverity(report.findings).map(({ finding, index }) => (
            <li key={index} id={`an-finding-${index}`} tabIndex={-1} className={`an-finding an-sev-${finding.severity}`} data-testid="an-finding">
              <p>
                <span className="an-badge">{finding.severity}</span> <code>{finding.code}</code>
                {finding.layer ? <> in <code>{finding.layer}</code></> : null}: {finding.message}
              </p>
              <p className="an-recommend">{finding.recommendation}</p>
              <details>
                <summary>Evidence</summary>
                <dl className="an-evidence">
                  {Object.entries(finding.evidence ?? {}).map(([k, v]) => (
                    <div key={k}>
                      <dt>{k}</dt>
                      <dd>{evidenceText(v)}</dd>
                    </div>
                  ))}
                </dl>
              </details>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}

function focusFinding(e: React.MouseEvent, index: number) {
  // Hash routes own the URL: move focus instead of changing the hash.
  e.preventDefault();
  const el = document.getElementById(`an-finding-${index}`);
  el?.focus();
  el?.scrollIntoView?.({ block: "center" });
}

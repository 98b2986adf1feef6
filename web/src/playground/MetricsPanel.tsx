/**
 * The current model's metrics (``GET /api/runs/{id}/evaluation``) with a train/validation
 * toggle: accuracy, macro precision/recall/F1, per-class numbers and the confusion matrix
 * (rows: true class, columns: predicted), or MSE/MAE/R² for regression. The recorded series
 * (every logged step of both splits) and the per-class table download as CSV
 * (metricsCsv.ts), the numbers as a PNG.
 */

import { useState, type CSSProperties } from "react";
import { call } from "../api/client";
import { useApi } from "../api/context";
import type { EvaluationOut, Series, SplitReport } from "../api/types";
import { useRequest } from "../api/useRequest";
import { SavePng } from "../components/ChartExport";
import { fileStem } from "../components/chartExport";
import { ErrorBanner } from "../components/ErrorBanner";
import { saveText } from "../components/saveFile";
import { formatNumber, formatPercent } from "../format";
import { perClassCsv, seriesCsv } from "./metricsCsv";

type Split = "train" | "val";
const SPLIT_TITLES: Record<Split, string> = { train: "Training", val: "Validation" };

interface Props {
  runId: string;
  /** Changes whenever the model may have changed enough to ask again. */
  version: string;
  /** The run's recorded series (the live state's), for the CSV download. */
  series: Readonly<Record<string, Series>>;
  /** Prefix of downloaded file names. */
  runName: string;
}

/** "CSV of metrics": every logged step of both splits (also offered once a run has ended). */
export function SeriesCsvButton({ series, runName }: { series: Readonly<Record<string, Series>>; runName: string }) {
  const empty = !Object.keys(series).some((n) => n.startsWith("train/") || n.startsWith("val/"));
  const save = () => saveText(`${fileStem(runName)}-metrics.csv`, seriesCsv(series).text, "text/csv");
  return (
    <button type="button" className="button button-quiet chart-export-button" data-testid="pg-metrics-csv" disabled={empty} onClick={save}>
      CSV of metrics
    </button>
  );
}

function Headline({ report, regression }: { report: SplitReport; regression: boolean }) {
  const items: [string, string][] = regression
    ? [
        ["MSE", formatNumber(report.mse ?? NaN)],
        ["MAE", formatNumber(report.mae ?? NaN)],
        ["R²", formatNumber(report.r2 ?? NaN)],
      ]
    : [
        ["accuracy", formatPercent(report.accuracy)],
        ["precision", formatPercent(report.precision)],
        ["recall", formatPercent(report.recall)],
        ["F1", formatPercent(report.f1)],
      ];
  return (
    <dl className="pg-metric-cards" data-testid="pg-metric-cards">
      {items.map(([name, value]) => (
        <div key={name} className="pg-metric-card">
          <dt>{name}</dt>
          <dd data-testid={`pg-metric-${name}`}>{value}</dd>
        </div>
      ))}
      <div className="pg-metric-card">
        <dt>loss</dt>
        <dd>{formatNumber(report.loss)}</dd>
      </div>
    </dl>
  );
}

function PerClass({ report, names }: { report: SplitReport; names: readonly string[] }) {
  const confusion = report.confusion ?? [];
  const max = Math.max(1, ...confusion.flat());
  return (
    <div className="pg-per-class">
      <div className="table-scroll">
        <table className="data-table compact" data-testid="pg-per-class">
          <caption>Per class</caption>
          <thead>
            <tr>
              <th scope="col">class</th>
              <th scope="col" className="num">precision</th>
              <th scope="col" className="num">recall</th>
              <th scope="col" className="num">F1</th>
            </tr>
          </thead>
          <tbody>
            {names.map((name, k) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td className="num">{formatPercent(report.per_class_precision?.[k])}</td>
                <td className="num">{formatPercent(report.per_class_recall?.[k])}</td>
                <td className="num">{formatPercent(report.per_class_f1?.[k])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="table-scroll">
        <table className="data-table compact pg-confusion" data-testid="pg-confusion">
          <caption>Confusion matrix: rows are the true class, columns the predicted one</caption>
          <thead>
            <tr>
              <th scope="col">true ↓ · predicted →</th>
              {names.map((n) => (
                <th key={n} scope="col" className="num">
                  {n}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {confusion.map((row, i) => (
              <tr key={i}>
                <th scope="row">{names[i] ?? i}</th>
                {row.map((count, j) => (
                  <td
                    key={j}
                    className={`num ${i === j ? "pg-diag" : count > 0 ? "pg-off" : ""}`}
                    style={{ "--pg-heat": (count / max).toFixed(3) } as CSSProperties}
                  >
                    {count}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function MetricsPanel({ runId, version, series, runName }: Props) {
  const api = useApi();
  const [split, setSplit] = useState<Split>("val");
  const evaluation = useRequest<EvaluationOut>(`evaluation:${runId}:${version}`, () =>
    call(api.rest.GET("/api/runs/{run_id}/evaluation", { params: { path: { run_id: runId } } })),
  );
  const data = evaluation.data;
  const report = data?.splits[split];
  return (
    <div className="pg-metrics" data-testid="pg-metrics">
      <div className="pg-metrics-bar">
        <div role="radiogroup" aria-label="Split" className="pg-split-toggle">
          {(["train", "val"] as const).map((s) => (
            <label key={s} className="toggle">
              <input type="radio" name={`split-${runId}`} value={s} checked={split === s} onChange={() => setSplit(s)} data-testid={`pg-split-${s}`} />{" "}
              {SPLIT_TITLES[s]}
            </label>
          ))}
        </div>
        <button type="button" className="button button-quiet" onClick={evaluation.reload} disabled={evaluation.loading}>
          Refresh
        </button>
        <SeriesCsvButton series={series} runName={runName} />
        {data && data.task !== "regression" && (
          <button
            type="button"
            className="button button-quiet chart-export-button"
            data-testid="pg-per-class-csv"
            onClick={() => saveText(`${fileStem(runName)}-per-class.csv`, perClassCsv(data) ?? "", "text/csv")}
          >
            CSV per class
          </button>
        )}
        <SavePng name={`${runName}-metrics`} selector=".pg-metrics-body" testId="pg-metrics-png" />
      </div>
      <ErrorBanner message={evaluation.error} />
      {evaluation.loading && !data && <p className="loading">Evaluating the model…</p>}
      {data && report && (
        <div className="pg-metrics-body">
          <p className="panel-note">
            {SPLIT_TITLES[split].toLowerCase()} split, {report.n_samples} samples, model at step {data.step}
          </p>
          <Headline report={report} regression={data.task === "regression"} />
          {data.task !== "regression" && <PerClass report={report} names={data.class_names} />}
        </div>
      )}
    </div>
  );
}

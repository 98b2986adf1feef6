import type { RunOut } from "../api/types";
import { formatLoss, formatPercent } from "../format";
import { href } from "../router";

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function RunsTable({ runs }: { runs: RunOut[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="runs-table">
        <thead>
          <tr>
            <th scope="col">name</th>
            <th scope="col">status</th>
            <th scope="col" className="num">steps</th>
            <th scope="col" className="num">val loss</th>
            <th scope="col" className="num">val accuracy</th>
            <th scope="col">created</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} data-testid="run-row">
              <th scope="row">
                <a href={href({ page: run.kind === "watch" ? "watch" : "playground", runId: run.id })}>{run.name}</a>
              </th>
              <td>
                <span className={`status status-${run.status}`}>{run.status}</span>
                {run.error && <span className="run-error"> {run.error}</span>}
              </td>
              <td className="num">{run.last_step}</td>
              <td className="num">{formatLoss(run.summary["val/loss"])}</td>
              <td className="num">{formatPercent(run.summary["val/accuracy"])}</td>
              <td>
                <time dateTime={run.created_at}>{dateFormat.format(new Date(run.created_at))}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

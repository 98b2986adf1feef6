/** Per hidden layer: activation mean and std, and the share of dead units. */

import type { LayerStatsEvent } from "../api/types";
import { formatNumber, formatPercent } from "../format";

export function LayerStats({ event }: { event: LayerStatsEvent | null }) {
  if (!event || event.payload.layers.length === 0) {
    return <p className="empty">Layer statistics appear once the network has hidden layers and a probe ran.</p>;
  }
  return (
    <>
      <p className="panel-note">
        step {event.step}, probed on {event.payload.probe}
      </p>
      <div className="table-scroll">
        <table className="data-table compact" data-testid="layer-stats">
          <thead>
            <tr>
              <th scope="col">layer</th>
              <th scope="col" className="num">mean</th>
              <th scope="col" className="num">std</th>
              <th scope="col" className="num">dead</th>
            </tr>
          </thead>
          <tbody>
            {event.payload.layers.map((s) => (
              <tr key={s.layer} className={s.dead_fraction >= 0.5 ? "warn" : undefined}>
                <th scope="row">{s.layer}</th>
                <td className="num">{formatNumber(s.mean)}</td>
                <td className="num">{formatNumber(s.std)}</td>
                <td className="num">{formatPercent(s.dead_fraction)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The chart's markers as text: what changed during the run, and at which step. */

import type { Marker } from "../api/liveState";
import { markerLabel } from "../format";

export function MarkersList({ markers }: { markers: Marker[] }) {
  return (
    <div className="markers">
      <ol className="markers-list" data-testid="markers-list" aria-label="Run events">
        {markers.map((m) => (
          <li key={`${m.kind}-${m.step}-${m.time}`} data-kind={m.kind} className={`marker marker-${m.kind}`}>
            <span className="marker-step">step {m.step}</span> {markerLabel(m)}
            {m.kind === "status" && m.payload.reason ? <span className="marker-reason"> ({m.payload.reason})</span> : null}
            {m.kind === "finding" ? <span className="marker-reason"> {m.payload.message}</span> : null}
          </li>
        ))}
      </ol>
      {markers.length === 0 && <p className="empty">No status or hyperparameter changes yet.</p>}
    </div>
  );
}

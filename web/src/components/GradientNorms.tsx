/** The newest gradient norm of every parameter, as a bar list (bars relative to the largest). */

import type { GradientsEvent } from "../api/types";
import { formatNumber } from "../format";

export function GradientNorms({ event }: { event: GradientsEvent | null }) {
  if (!event || event.payload.norms.length === 0) {
    return <p className="empty">Gradient norms appear after the first training steps.</p>;
  }
  const norms = event.payload.norms;
  const largest = Math.max(...norms.map((n) => n.norm), Number.MIN_VALUE);
  return (
    <>
      <p className="panel-note">at step {event.step}</p>
      <ul className="bar-list" data-testid="gradient-norms">
        {norms.map(({ parameter, norm }) => (
          <li key={parameter} className="bar-row">
            <span className="bar-label">{parameter}</span>
            <span className="bar-track" aria-hidden="true">
              <span className="bar-fill" style={{ width: `${(norm / largest) * 100}%` }} />
            </span>
            <span className="bar-value">{formatNumber(norm)}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

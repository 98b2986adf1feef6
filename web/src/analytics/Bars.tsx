/** Horizontal bars as an accessible list (each bar is a labelled row, readable without the chart). */

import { barWidth } from "./model";

export interface Bar {
  label: string;
  value: number | null;
  text: string;
  tone?: string;
}

export function Bars({ bars, label, empty, max }: { bars: Bar[]; label: string; empty: string; max?: number }) {
  const shown = bars.filter((b) => b.value !== null);
  if (shown.length === 0) return <p className="empty">{empty}</p>;
  const top = max ?? Math.max(...shown.map((b) => b.value as number));
  return (
    <ul className="an-bars" aria-label={label}>
      {shown.map((b) => (
        <li key={b.label} className="an-bar-row">
          <span className="an-bar-label" title={b.label}>
            {b.label}
          </span>
          <span className="an-bar-track" aria-hidden="true">
            <span className={`an-bar-fill ${b.tone ?? ""}`.trim()} style={{ width: `${barWidth(b.value, top)}%` }} />
          </span>
          <span className="an-bar-value">{b.text}</span>
        </li>
      ))}
    </ul>
  );
}

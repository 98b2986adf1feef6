/**
 * Per-unit output by class, for inputs with no plane to draw on (images, tables): for each
 * hidden unit a small bar strip, one bar per class, of its mean activation over the probe
 * samples of that class (the activations event's batch). Bars grow up (blue) above 0 and down
 * (orange) below, on the layer's own scale; hover a strip for the numbers.
 */

import { classColor } from "../../components/fieldImage";

const BAR = 5;
const H = 28;

/** means[unit][class] of a (rows x cols) row-major map, rows labelled by ``labels``; NaN for a class with no rows. */
export function classMeans(values: ArrayLike<number>, rows: number, cols: number, labels: readonly number[], classes: readonly number[]): number[][] {
  return Array.from({ length: cols }, (_, u) =>
    classes.map((k) => {
      let sum = 0;
      let n = 0;
      for (let r = 0; r < rows; r++) {
        if (labels[r] !== k) continue;
        sum += values[r * cols + u] as number;
        n++;
      }
      return n ? sum / n : Number.NaN;
    }),
  );
}

export function ClassMeans({ layer, means, classes }: { layer: string; means: number[][]; classes: readonly number[] }) {
  const m = Math.max(1e-9, ...means.flat().filter(Number.isFinite).map(Math.abs));
  const width = classes.length * BAR + 2;
  return (
    <div className="pg-class-means" data-testid="pg-class-means" role="group" aria-label={`${layer}: mean activation of each unit per class`}>
      {means.map((row, u) => (
        <svg key={u} width={width} height={H} role="img" aria-label={`unit ${u + 1}: ${row.map((v, i) => `class ${classes[i]} ${Number.isFinite(v) ? v.toPrecision(2) : "–"}`).join(", ")}`} data-testid="pg-class-strip">
          <title>{`unit ${u + 1}\n${row.map((v, i) => `class ${classes[i]}: ${Number.isFinite(v) ? v.toPrecision(3) : "no sample"}`).join("\n")}`}</title>
          <rect width={width} height={H} fill="#f4f4f2" />
          <line x1={0} x2={width} y1={H / 2} y2={H / 2} stroke="#c4cad2" strokeWidth={0.5} />
          {row.map((v, i) => {
            if (!Number.isFinite(v)) return null;
            const h = (Math.abs(v) / m) * (H / 2 - 1);
            return <rect key={i} x={1 + i * BAR} y={v >= 0 ? H / 2 - h : H / 2} width={BAR - 1} height={h} fill={classColor(classes[i] ?? 0)} />;
          })}
        </svg>
      ))}
    </div>
  );
}

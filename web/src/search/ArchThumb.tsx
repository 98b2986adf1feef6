/** A trial's network as a row of bars (SVG): height by units/filters (log), colour by health. */

import type { ArchitectureLayer } from "../api/types";
import { healthColor } from "./format";

const THIN = new Set(["flatten", "dropout", "batchnorm"]);

function size(layer: ArchitectureLayer): number {
  const n = layer.units ?? layer.filters ?? (layer.output_shape.length === 3 ? layer.output_shape[0] : layer.output_shape.reduce((a, b) => a * b, 1));
  return Math.log2(1 + (n ?? 1));
}

export function ArchThumb({ layers, width = 120, height = 40 }: { layers: ArchitectureLayer[]; width?: number; height?: number }) {
  const shown = layers.filter((l) => !THIN.has(l.kind));
  if (shown.length === 0) return <svg className="search-thumb" width={width} height={height} aria-hidden="true" />;
  const max = Math.max(...shown.map(size), 1);
  const slot = width / shown.length;
  const summary = shown.map((l) => `${l.kind}${l.units ? ` ${l.units}` : l.filters ? ` ${l.filters}` : ""}`).join(", ");
  return (
    <svg className="search-thumb" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Architecture: ${summary}`}>
      {shown.map((layer, i) => {
        const h = Math.max(4, (size(layer) / max) * (height - 4));
        const w = Math.max(3, slot * (layer.kind === "conv2d" || layer.kind === "lstm" ? 0.7 : 0.5));
        const fill = layer.kind === "input" || layer.kind === "maxpool2d" ? "#94a3b8" : healthColor(layer.health);
        return <rect key={i} x={i * slot + (slot - w) / 2} y={(height - h) / 2} width={w} height={h} rx={1.5} fill={fill} />;
      })}
    </svg>
  );
}

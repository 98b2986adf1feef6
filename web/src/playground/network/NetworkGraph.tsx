/**
 * The network as Playground draws it: inputs, every unit as a small picture of what it
 * computes over the plane (for a 1-D input: its output as a curve over x), and the weights on
 * the edges (blue positive, orange negative, thicker = larger |w|).
 */

import { useMemo } from "react";
import { paletteLUT } from "../../components/boundaryImage";
import { context2d } from "../../components/canvas";
import { divergingIndex } from "../../components/fieldImage";
import type { DenseLayerWeights } from "./weights";

const NODE = 40;
const COLUMN_GAP = 110;
const ROW_GAP = 12;
const LUT = paletteLUT();

interface Props {
  inputs: readonly string[];
  layers: readonly DenseLayerWeights[];
  /** maps[layer][unit] over the plane, or null (no pictures for wide nets or non-plane sets). */
  maps: Float32Array[][] | null;
  /** The inputs over the plane (same grid), or null. */
  inputMaps: Float32Array[] | null;
  res: number;
  /** curves[layer][unit] over x for a 1-D input (instead of maps), or null. */
  curves?: Float32Array[][] | null;
}

/** An SVG path of ``curve`` in a ``size`` box, on its own symmetric scale (0 in the middle). */
export function curvePath(curve: ArrayLike<number>, size: number): string {
  let m = 0;
  for (let i = 0; i < curve.length; i++) m = Math.max(m, Math.abs(curve[i] as number));
  const half = size / 2 - 3;
  const parts: string[] = [];
  for (let i = 0; i < curve.length; i++) {
    const px = ((i + 0.5) / curve.length) * size;
    const py = size / 2 - ((curve[i] as number) / (m || 1)) * half;
    parts.push(`${i === 0 ? "M" : "L"}${px.toFixed(1)},${py.toFixed(1)}`);
  }
  return parts.join(" ");
}

/** The input itself over x: a straight line. */
const RAMP = Float32Array.from({ length: 16 }, (_, j) => j - 7.5);

function CurveNode({ curve }: { curve: Float32Array }) {
  return (
    <g data-testid="pg-unit-curve">
      <rect width={NODE} height={NODE} rx={4} fill="#f4f4f2" />
      <line x1={0} x2={NODE} y1={NODE / 2} y2={NODE / 2} stroke="#c4cad2" strokeWidth={0.75} />
      <path d={curvePath(curve, NODE)} fill="none" stroke="#0b6fb3" strokeWidth={1.5} />
    </g>
  );
}

/** A unit's map as a data URL: its own symmetric diverging scale (orange < 0 < blue). */
function mapUrl(map: Float32Array, res: number): string | null {
  if (typeof document === "undefined") return null;
  const canvas = document.createElement("canvas");
  canvas.width = res;
  canvas.height = res;
  const ctx = context2d(canvas);
  if (!ctx) return null;
  let m = 0;
  for (const v of map) m = Math.max(m, Math.abs(v));
  const pixels = new Uint8ClampedArray(res * res * 4);
  map.forEach((v, i) => {
    const k = divergingIndex(v, m || 1) * 4;
    for (let c = 0; c < 4; c++) pixels[i * 4 + c] = LUT[k + c] as number;
  });
  ctx.putImageData(new ImageData(pixels, res, res), 0, 0);
  return canvas.toDataURL();
}

export function NetworkGraph({ inputs, layers, maps, inputMaps, res, curves = null }: Props) {
  const columns = [inputs.length, ...layers.map((l) => l.bias.length)];
  const height = Math.max(...columns) * (NODE + ROW_GAP) + ROW_GAP;
  const width = (columns.length - 1) * COLUMN_GAP + NODE + 60;
  const y = (count: number, i: number) => (height - count * (NODE + ROW_GAP) + ROW_GAP) / 2 + i * (NODE + ROW_GAP);
  const x = (col: number) => 50 + col * COLUMN_GAP;
  const maxAbs = Math.max(1e-9, ...layers.flatMap((l) => l.weight.flat().map(Math.abs)));
  const urls = useMemo(() => maps?.map((layer) => layer.map((map) => mapUrl(map, res))) ?? null, [maps, res]);
  const inputUrls = useMemo(() => inputMaps?.map((map) => mapUrl(map, res)) ?? null, [inputMaps, res]);

  return (
    <div className="pg-network-scroll">
      <svg width={width} height={height} role="img" aria-label={`Network: ${columns.join(" → ")} units; edge colour is the weight's sign, width its size`} data-testid="pg-network">
        {layers.map((layer, l) =>
          layer.weight.map((row, u) =>
            row.map((w, k) => (
              <line
                key={`${l}-${u}-${k}`}
                x1={x(l) + NODE}
                y1={y(columns[l] ?? 0, k) + NODE / 2}
                x2={x(l + 1)}
                y2={y(columns[l + 1] ?? 0, u) + NODE / 2}
                stroke={w >= 0 ? "#0b6fb3" : "#e8850c"}
                strokeWidth={0.5 + (4 * Math.abs(w)) / maxAbs}
                strokeOpacity={0.75}
                data-testid="pg-edge"
              >
                <title>{`${layer.name}[${u}] ← input ${k}: w = ${w.toPrecision(4)}`}</title>
              </line>
            )),
          ),
        )}
        {inputs.map((name, k) => (
          <g key={name} transform={`translate(${x(0)}, ${y(inputs.length, k)})`}>
            {inputUrls?.[k] ? (
              <image href={inputUrls[k] ?? undefined} width={NODE} height={NODE} />
            ) : curves ? (
              <CurveNode curve={RAMP} />
            ) : (
              <rect width={NODE} height={NODE} rx={4} fill="#eef0f3" />
            )}
            <rect width={NODE} height={NODE} rx={4} fill="none" stroke="#9aa3ad" />
            <text x={-6} y={NODE / 2 + 4} textAnchor="end" fontSize={12} fill="#374151">
              {name}
            </text>
          </g>
        ))}
        {layers.map((layer, l) =>
          layer.bias.map((b, u) => {
            const url = urls?.[l]?.[u] ?? null;
            const curve = curves?.[l]?.[u] ?? null;
            return (
              <g key={`${layer.name}-${u}`} transform={`translate(${x(l + 1)}, ${y(columns[l + 1] ?? 0, u)})`} data-testid="pg-node">
                <title>{`${layer.name}[${u}] (${layer.activation}), bias ${b.toPrecision(4)}`}</title>
                {url ? <image href={url} width={NODE} height={NODE} /> : curve ? <CurveNode curve={curve} /> : <rect width={NODE} height={NODE} rx={4} fill="#f4f4f2" />}
                <rect width={NODE} height={NODE} rx={4} fill="none" stroke="#6b7280" />
              </g>
            );
          }),
        )}
      </svg>
    </div>
  );
}

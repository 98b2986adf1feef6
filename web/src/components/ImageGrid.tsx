/** A grid of grey-scale images (digits, MNIST) with their labels, drawn on one canvas. */

import { useEffect, useMemo, useRef } from "react";
import { decodeCompactArray } from "../api/compact";
import type { ImageSamples } from "../api/types";
import { context2d } from "./canvas";

const CELL = 56; // drawing-buffer pixels per image
const GAP = 24; // room for the label under each image

/** Columns of the grid for ``n`` images: at most 8, nearly square. */
export function gridColumns(n: number): number {
  return Math.max(1, Math.min(8, Math.ceil(Math.sqrt(n))));
}

/** RGBA of one (H, W) uint8 image: ink dark on paper light (255 = full ink). */
export function inkPixels(pixels: ArrayLike<number>, offset: number, count: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(count * 4);
  for (let i = 0; i < count; i++) {
    const v = 255 - (pixels[offset + i] as number);
    out[i * 4] = v;
    out[i * 4 + 1] = v;
    out[i * 4 + 2] = v;
    out[i * 4 + 3] = 255;
  }
  return out;
}

export function ImageGrid({ samples }: { samples: ImageSamples }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const decoded = useMemo(() => decodeCompactArray(samples.images), [samples]);
  const [n = 0, h = 1, w = 1] = decoded.shape;
  const cols = gridColumns(n);
  const rows = Math.ceil(n / cols);

  useEffect(() => {
    const ctx = context2d(canvasRef.current);
    if (!ctx) return;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, cols * CELL, rows * (CELL + GAP));
    const tile = document.createElement("canvas");
    tile.width = w;
    tile.height = h;
    const tileCtx = context2d(tile);
    if (!tileCtx) return;
    ctx.imageSmoothingEnabled = false;
    ctx.font = "13px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (let k = 0; k < n; k++) {
      tileCtx.putImageData(new ImageData(inkPixels(decoded.data, k * h * w, h * w), w, h), 0, 0);
      const x = (k % cols) * CELL;
      const y = Math.floor(k / cols) * (CELL + GAP);
      ctx.drawImage(tile, x + 4, y + 4, CELL - 8, CELL - 8);
    }
    ctx.fillStyle = "#374151";
    for (let k = 0; k < n; k++) {
      const x = (k % cols) * CELL;
      const y = Math.floor(k / cols) * (CELL + GAP);
      ctx.fillText(String(samples.labels[k] ?? ""), x + CELL / 2, y + CELL + 2);
    }
  }, [decoded, samples.labels, n, h, w, cols, rows]);

  return (
    <figure className="pg-image-grid">
      <canvas
        ref={canvasRef}
        width={cols * CELL}
        height={rows * (CELL + GAP)}
        data-testid="image-grid"
        role="img"
        aria-label={`${n} validation images of ${samples.dataset}, labelled ${samples.labels.slice(0, n).join(", ")}`}
      />
      <figcaption className="legend">
        {n} validation images ({h}×{w} pixels) with their labels
      </figcaption>
    </figure>
  );
}

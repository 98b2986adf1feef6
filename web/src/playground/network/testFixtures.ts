/**
 * Fixtures of the network view's tests: a dense net's weights as the safetensors file that
 * `GET /api/runs/{id}/export/safetensors` serves (torch's layout: an 8-byte little-endian header
 * length, a JSON header of `{name: {dtype, shape, data_offsets}}`, then little-endian F32 data),
 * and the run configuration of that net.
 */

import { createApi, type Api } from "../../api/client";
import type { SessionConfig } from "../../api/types";

/** One tensor: its name, shape and values (row-major). */
export type NamedTensor = [name: string, shape: number[], data: number[]];

export interface FileOptions {
  /** The header's optional `__metadata__` entry (torch writes `{format: "pt"}`). */
  metadata?: Record<string, string>;
  /** Spaces after the JSON header (the format allows them): 2 puts the data off 4-byte alignment. */
  padding?: number;
}

export function safetensorsFile(tensors: readonly NamedTensor[], { metadata, padding = 0 }: FileOptions = {}): ArrayBuffer {
  let offset = 0;
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  for (const [name, shape, data] of tensors) {
    header[name] = { dtype: "F32", shape, data_offsets: [offset, offset + data.length * 4] };
    offset += data.length * 4;
  }
  const json = new TextEncoder().encode(JSON.stringify(header) + " ".repeat(padding));
  const buffer = new ArrayBuffer(8 + json.length + offset);
  const view = new DataView(buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  new Uint8Array(buffer, 8).set(json);
  let at = 8 + json.length;
  for (const [, , data] of tensors) {
    for (const v of data) {
      view.setFloat32(at, v, true);
      at += 4;
    }
  }
  return buffer;
}

/** An API that answers every request with the safetensors file of `tensors`; `paths` lists what was asked. */
export function weightsApi(tensors: readonly NamedTensor[]): { api: Api; paths: string[] } {
  const paths: string[] = [];
  const fetch = async (request: Request) => {
    paths.push(new URL(request.url).pathname);
    return new Response(safetensorsFile(tensors), { status: 200, headers: { "content-type": "application/octet-stream" } });
  };
  return { api: createApi({ baseUrl: "http://localhost:3000", token: null, fetch }), paths };
}

/** The configuration of a run of one dense tanh layer of `units` units on `dataset`. */
export function denseConfig(dataset: string, units: number): SessionConfig {
  return {
    spec: { layers: [{ type: "dense", units, activation: "tanh" }] },
    data: { dataset, features: [], n_classes: 3, n_samples: 500, noise: 0, validation_fraction: 0.5, table: null },
  } as unknown as SessionConfig;
}

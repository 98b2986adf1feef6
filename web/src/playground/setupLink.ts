/**
 * A Playground setup in the address (as TensorFlow Playground does): the form's run config as
 * base64url JSON in ``#/playground?setup=``. Decoding trusts nothing: every field is checked
 * and a link that does not hold a valid setup says what is wrong instead of half-loading.
 */

import type { SessionConfig } from "../api/types";
import { buildRunCreate, formFromConfig, OPTIMIZERS, type Checked, type PlaygroundForm } from "./form";
import { ACTIVATIONS, LAYER_TYPES, toSpecLayers, fromSpecLayer } from "./layers";

const VERSION = 1;
const MAX_LINK_CHARS = 8000;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** The ``setup`` parameter for a form, or what to fix first. Uploaded tables stay out. */
export function encodeSetup(form: PlaygroundForm): Checked<string> {
  if (form.dataset === "csv") return { ok: false, error: "A setup with an uploaded CSV cannot be shared by link (the file stays on this server)" };
  const body = buildRunCreate(form);
  if (!body.ok) return body;
  return { ok: true, value: toBase64Url(JSON.stringify({ v: VERSION, config: body.value.config })) };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function checkLayers(value: unknown): string | null {
  if (!Array.isArray(value)) return "spec.layers is not a list";
  for (const [i, layer] of value.entries()) {
    if (!isObject(layer) || !LAYER_TYPES.includes(layer.type as never)) return `spec.layers.${i} is not a known layer`;
    if ("activation" in layer && !ACTIVATIONS.includes(layer.activation as never)) return `spec.layers.${i}.activation is unknown`;
    for (const key of ["units", "filters", "kernel_size", "stride", "pool_size", "p"]) {
      if (key in layer && layer[key] !== null && !isNumber(layer[key])) return `spec.layers.${i}.${key} is not a number`;
    }
  }
  return null;
}

/** The form a ``setup`` parameter describes, or why the link cannot be used. */
export function decodeSetup(text: string, datasets: readonly string[]): Checked<PlaygroundForm> {
  const bad = (why: string): Checked<PlaygroundForm> => ({ ok: false, error: `This link's setup cannot be used: ${why}. The default setup is shown instead.` });
  if (text.length > MAX_LINK_CHARS) return bad("it is too long");
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromBase64Url(text));
  } catch {
    return bad("it is not a setup this page wrote (the link may be cut short)");
  }
  if (!isObject(parsed) || parsed.v !== VERSION || !isObject(parsed.config)) return bad("unknown format");
  const config = parsed.config;
  const data = config.data;
  const hp = config.hyperparameters;
  if (!isObject(config.spec)) return bad("no network");
  const layersProblem = checkLayers(config.spec.layers);
  if (layersProblem) return bad(layersProblem);
  if (!isObject(data) || typeof data.dataset !== "string" || !datasets.includes(data.dataset)) return bad("unknown dataset");
  if (!isNumber(data.noise) || !isNumber(data.n_classes)) return bad("data.noise or data.n_classes is not a number");
  if (!isObject(hp) || !OPTIMIZERS.includes(hp.optimizer as never)) return bad("unknown optimizer");
  if (!isNumber(hp.learning_rate) || !isNumber(hp.batch_size)) return bad("learning rate or batch size is not a number");
  if (!isNumber(config.seed) || !(config.max_steps === null || isNumber(config.max_steps))) return bad("seed or max steps is not a number");
  const form = formFromConfig(config as unknown as SessionConfig, null);
  // Every value must also pass the form's own limits (the server checks again on Train).
  const rebuilt = buildRunCreate(form);
  if (!rebuilt.ok) return bad(rebuilt.error);
  const layers = toSpecLayers((config.spec.layers as never[]).map(fromSpecLayer));
  if (!layers.ok) return bad(layers.error);
  return { ok: true, value: form };
}

/** The full address of a setup link on this page. */
export function setupUrl(setup: string): string {
  return `${window.location.origin}${window.location.pathname}#/playground?setup=${setup}`;
}


/**
 * A search space as editable text: JSON, or the YAML subset the packaged spaces use (block
 * mappings by indentation, ``key: value`` scalars, ``[a, b]`` lists, ``{a: 1}`` maps, ``#``
 * comments). Parsing checks the space's shape and says exactly what is wrong and where; the
 * server checks it again against the family's hyperparameters.
 */

import type { SearchParam, SearchSpace } from "../api/types";

export type SpaceFormat = "json" | "yaml";

export interface Parsed {
  space: SearchSpace | null;
  errors: string[];
}

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

function scalar(raw: string): Value {
  const text = raw.trim();
  if (text === "") return null;
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === "true";
  if (/^(null|~)$/.test(text)) return null;
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if ((text.startsWith('"') && text.endsWith('"')) || (text.startsWith("'") && text.endsWith("'"))) {
    return text.startsWith('"') ? (JSON.parse(text) as string) : text.slice(1, -1);
  }
  if (text.startsWith("[") || text.startsWith("{")) return flow(text);
  return text;
}

/** Split a flow collection's body on top-level commas. */
function splitTop(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  if (body.slice(start).trim()) parts.push(body.slice(start));
  return parts;
}

function flow(text: string): Value {
  const body = text.slice(1, -1);
  if (text.startsWith("[")) {
    if (!text.endsWith("]")) throw new Error(`unclosed list: ${text}`);
    return splitTop(body).map(scalar);
  }
  if (!text.endsWith("}")) throw new Error(`unclosed map: ${text}`);
  const out: Record<string, Value> = {};
  for (const part of splitTop(body)) {
    const at = part.indexOf(":");
    if (at < 0) throw new Error(`expected "key: value" in ${text}`);
    out[part.slice(0, at).trim()] = scalar(part.slice(at + 1));
  }
  return out;
}

function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1] as string))) return line.slice(0, i);
  }
  return line;
}

/** Parse the YAML subset; throws with a line number on anything else. */
export function parseYaml(text: string): Value {
  const lines = text
    .split("\n")
    .map((raw, i) => ({ n: i + 1, text: stripComment(raw).replace(/\s+$/, "") }))
    .filter((l) => l.text.trim() !== "");
  let pos = 0;
  const block = (indent: number): Record<string, Value> => {
    const out: Record<string, Value> = {};
    while (pos < lines.length) {
      const line = lines[pos] as { n: number; text: string };
      const own = line.text.length - line.text.trimStart().length;
      if (own < indent) break;
      if (own > indent) throw new Error(`line ${line.n}: unexpected indentation`);
      const body = line.text.trim();
      const at = body.indexOf(":");
      if (at <= 0 || body.startsWith("-")) throw new Error(`line ${line.n}: expected "key: value"`);
      const key = body.slice(0, at).trim();
      const rest = body.slice(at + 1).trim();
      pos++;
      if (rest === "") {
        const next = lines[pos];
        const childIndent = next ? next.text.length - next.text.trimStart().length : 0;
        out[key] = next && childIndent > indent ? block(childIndent) : null;
      } else {
        try {
          out[key] = scalar(rest);
        } catch (e) {
          throw new Error(`line ${line.n}: ${(e as Error).message}`, { cause: e });
        }
      }
    }
    return out;
  };
  return block(0);
}

function yamlScalar(value: unknown): string {
  if (typeof value === "string") return /^[\w.-]+$/.test(value) && !/^(true|false|null|[-+.\d])/.test(value) ? value : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(yamlScalar).join(", ")}]`;
  return String(value);
}

/** The space as YAML in the packaged files' layout (one param per block, help last). */
export function toYaml(space: SearchSpace): string {
  const lines = [`family: ${space.family}`, "params:"];
  for (const [name, param] of Object.entries(space.params)) {
    lines.push(`  ${name}:`);
    for (const [key, value] of Object.entries(param)) {
      // Defaults (no log scale, step 1, no help) are left out, as in the packaged files.
      if (value === undefined || (key === "help" && value === "") || (key === "log" && value === false) || (key === "step" && value === 1)) continue;
      lines.push(`    ${key}: ${yamlScalar(value)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

export function toText(space: SearchSpace, format: SpaceFormat): string {
  return format === "json" ? `${JSON.stringify(space, null, 2)}\n` : toYaml(space);
}

function checkParam(name: string, raw: unknown, errors: string[]): void {
  const where = `params.${name}`;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    errors.push(`${where}: expected a map with "type" (int, float or categorical)`);
    return;
  }
  const p = raw as Record<string, unknown>;
  if (p.type === "categorical") {
    if (!Array.isArray(p.choices) || p.choices.length === 0) errors.push(`${where}.choices: give at least one choice`);
    return;
  }
  if (p.type !== "int" && p.type !== "float") {
    errors.push(`${where}.type: must be int, float or categorical (got ${JSON.stringify(p.type)})`);
    return;
  }
  if (typeof p.low !== "number" || typeof p.high !== "number") {
    errors.push(`${where}: low and high must be numbers`);
    return;
  }
  if (p.type === "int" && (!Number.isInteger(p.low) || !Number.isInteger(p.high))) errors.push(`${where}: an int range needs whole numbers`);
  if (p.low > p.high) errors.push(`${where}: low (${p.low}) must not exceed high (${p.high})`);
  if (p.log === true && p.low <= 0) errors.push(`${where}: a log-scaled range must be positive`);
}

/** Parse and check a space; ``family`` is the one the chosen dataset needs. */
export function parseSpace(text: string, format: SpaceFormat, family: string | null): Parsed {
  let data: unknown;
  try {
    data = format === "json" ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    return { space: null, errors: [`not valid ${format.toUpperCase()}: ${(e as Error).message}`] };
  }
  const errors: string[] = [];
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { space: null, errors: ['expected a map with "family" and "params"'] };
  }
  const d = data as Record<string, unknown>;
  if (!["mlp", "cnn", "lstm"].includes(d.family as string)) errors.push(`family: must be mlp, cnn or lstm (got ${JSON.stringify(d.family)})`);
  else if (family && d.family !== family) errors.push(`family: this dataset needs the ${family} family, not ${String(d.family)}`);
  if (typeof d.params !== "object" || d.params === null || Array.isArray(d.params) || Object.keys(d.params).length === 0) {
    errors.push("params: give at least one hyperparameter");
  } else {
    for (const [name, raw] of Object.entries(d.params)) checkParam(name, raw, errors);
  }
  return errors.length ? { space: null, errors } : { space: data as SearchSpace, errors };
}

/** "1e-4 … 0.1 (log)", "3 or 5", "1 … 3". */
export function describeRange(param: SearchParam): string {
  if (param.type === "categorical") return param.choices.map(String).join(", ");
  const range = `${param.low} … ${param.high}`;
  return param.log ? `${range} (log scale)` : range;
}

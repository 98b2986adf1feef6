/**
 * The REST client (openapi-fetch over the generated ``paths``) and the one way errors leave it:
 * an {@link ApiError} carrying the server's ``{"error": {"code", "message"}}``.
 */

import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./schema.gen";

export type RestClient = Client<paths>;

export interface Api {
  rest: RestClient;
  /** Absolute ``ws(s)://`` URL of a server path, with ``?token=`` when a token is set. */
  wsUrl(path: string): string;
}

export interface ApiOptions {
  /** Origin of the server, e.g. ``http://127.0.0.1:8765``; the page's origin by default. */
  baseUrl: string;
  token: string | null;
  fetch?: (input: Request) => Promise<Response>;
}

export function createApi({ baseUrl, token, fetch }: ApiOptions): Api {
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  const rest = createClient<paths>({ baseUrl, headers, ...(fetch ? { fetch } : {}) });
  return {
    rest,
    wsUrl(path: string): string {
      const url = new URL(path, baseUrl);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      if (token) url.searchParams.set("token", token);
      return url.toString();
    },
  };
}

/** An error to show a person: the server's message, or what went wrong on the way. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number | null;

  constructor(code: string, message: string, status: number | null = null) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
  }
}

interface Result<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

function serverMessage(body: unknown): { code: string; message: string } | null {
  if (typeof body !== "object" || body === null || !("error" in body)) return null;
  const detail = (body as { error: unknown }).error;
  if (typeof detail !== "object" || detail === null) return null;
  const { code, message } = detail as { code?: unknown; message?: unknown };
  if (typeof message !== "string") return null;
  return { code: typeof code === "string" ? code : "error", message };
}

/** Await an openapi-fetch call; return its data or throw an {@link ApiError}. */
export async function call<T>(request: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await request;
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new ApiError("network", `Cannot reach the neuralscope server (${why}). Is it running?`);
  }
  if (result.error === undefined && result.response.ok) return result.data as T;
  const { status, statusText } = result.response;
  const detail = serverMessage(result.error);
  if (detail && status === 401) {
    throw new ApiError(detail.code, `${detail.message}. Open this page with ?token=<token> added to its address.`, status);
  }
  if (detail) throw new ApiError(detail.code, detail.message, status);
  throw new ApiError("http", `The server answered ${status} ${statusText}`.trim(), status);
}

/** The message to show for anything thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * A fake ``fetch`` for openapi-fetch, routed by method and path, recording every request. A
 * handler's body is sent as JSON, or as it is when it is an ``ArrayBuffer`` (file downloads).
 */

import { createApi, type Api } from "../api/client";

export interface Recorded {
  method: string;
  path: string;
  search: string;
  headers: Headers;
  body: unknown;
}

type Handler = (request: Recorded) => { status?: number; body: unknown } | Promise<{ status?: number; body: unknown }>;

export const BASE_URL = "http://localhost:3000";

export function fakeServer(routes: Record<string, Handler>, token: string | null = null) {
  const requests: Recorded[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const text = await request.text();
    const recorded: Recorded = {
      method: request.method,
      path: url.pathname,
      search: url.search,
      headers: request.headers,
      body: text ? JSON.parse(text) : undefined,
    };
    requests.push(recorded);
    const handler = routes[`${request.method} ${url.pathname}`];
    if (!handler) {
      const body = { error: { code: "not_found", message: `no fake route ${request.method} ${url.pathname}` } };
      return new Response(JSON.stringify(body), { status: 404, headers: { "content-type": "application/json" } });
    }
    const { status = 200, body } = await handler(recorded);
    if (body instanceof ArrayBuffer) {
      return new Response(body, { status, headers: { "content-type": "application/octet-stream" } });
    }
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
  const api: Api = createApi({ baseUrl: BASE_URL, token, fetch });
  return { api, requests };
}

/** Hash routes: ``#/playground`` (``?setup=`` a shared setup), ``#/playground/<run id>``, ``#/compare/<id>,<id>``, ``#/runs``, ``#/watch/<run id>``, ``#/shared/<token>``, ``#/analytics/<model id>``. */

import { useSyncExternalStore } from "react";

export type Route =
  | { page: "playground"; runId: string | null; setup?: string }
  | { page: "compare"; runIds: string[] }
  | { page: "runs" }
  | { page: "watch"; runId: string | null }
  | { page: "shared"; token: string }
  | { page: "analytics"; modelId: string | null }
  | { page: "search"; study: string | null }
  | { page: "not-found"; path: string };

export function parseRoute(hash: string): Route {
  const [path = "/", query = ""] = (hash.replace(/^#/, "") || "/").split("?", 2);
  const parts = path.split("/").filter(Boolean);
  if (parts.length === 0 || (parts[0] === "playground" && parts.length === 1)) {
    const setup = new URLSearchParams(query).get("setup");
    return setup ? { page: "playground", runId: null, setup } : { page: "playground", runId: null };
  }
  if (parts[0] === "compare" && parts.length === 2) return { page: "compare", runIds: (parts[1] as string).split(",").map(decodeURIComponent) };
  if (parts[0] === "playground" && parts.length === 2) return { page: "playground", runId: decodeURIComponent(parts[1] as string) };
  if (parts[0] === "runs" && parts.length === 1) return { page: "runs" };
  if (parts[0] === "watch" && parts.length <= 2) return { page: "watch", runId: parts[1] ? decodeURIComponent(parts[1]) : null };
  if (parts[0] === "shared" && parts.length === 2) return { page: "shared", token: decodeURIComponent(parts[1] as string) };
  if (parts[0] === "search" && parts.length <= 2) return { page: "search", study: parts[1] ? decodeURIComponent(parts[1]) : null };
  if (parts[0] === "analytics" && parts.length <= 2) return { page: "analytics", modelId: parts[1] ? decodeURIComponent(parts[1]) : null };
  return { page: "not-found", path };
}

export function href(route: Route): string {
  switch (route.page) {
    case "playground":
      if (route.runId) return `#/playground/${encodeURIComponent(route.runId)}`;
      return route.setup ? `#/playground?setup=${encodeURIComponent(route.setup)}` : "#/playground";
    case "compare":
      return `#/compare/${route.runIds.map(encodeURIComponent).join(",")}`;
    case "runs":
      return "#/runs";
    case "watch":
      return route.runId ? `#/watch/${encodeURIComponent(route.runId)}` : "#/watch";
    case "shared":
      return `#/shared/${encodeURIComponent(route.token)}`;
    case "search":
      return route.study ? `#/search/${encodeURIComponent(route.study)}` : "#/search";
    case "analytics":
      return route.modelId ? `#/analytics/${encodeURIComponent(route.modelId)}` : "#/analytics";
    case "not-found":
      return `#${route.path}`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = href(route);
}

function subscribe(listener: () => void): () => void {
  window.addEventListener("hashchange", listener);
  return () => window.removeEventListener("hashchange", listener);
}

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}

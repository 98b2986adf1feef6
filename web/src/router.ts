/** Hash routes: ``#/playground``, ``#/playground/<run id>``, ``#/runs``, ``#/watch/<run id>``, ``#/shared/<token>``. */

import { useSyncExternalStore } from "react";

export type Route =
  | { page: "playground"; runId: string | null }
  | { page: "runs" }
  | { page: "watch"; runId: string | null }
  | { page: "shared"; token: string }
  | { page: "not-found"; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "") || "/";
  const parts = path.split("/").filter(Boolean);
  if (parts.length === 0 || (parts[0] === "playground" && parts.length === 1)) return { page: "playground", runId: null };
  if (parts[0] === "playground" && parts.length === 2) return { page: "playground", runId: decodeURIComponent(parts[1] as string) };
  if (parts[0] === "runs" && parts.length === 1) return { page: "runs" };
  if (parts[0] === "watch" && parts.length <= 2) return { page: "watch", runId: parts[1] ? decodeURIComponent(parts[1]) : null };
  if (parts[0] === "shared" && parts.length === 2) return { page: "shared", token: decodeURIComponent(parts[1] as string) };
  return { page: "not-found", path };
}

export function href(route: Route): string {
  switch (route.page) {
    case "playground":
      return route.runId ? `#/playground/${encodeURIComponent(route.runId)}` : "#/playground";
    case "runs":
      return "#/runs";
    case "watch":
      return route.runId ? `#/watch/${encodeURIComponent(route.runId)}` : "#/watch";
    case "shared":
      return `#/shared/${encodeURIComponent(route.token)}`;
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

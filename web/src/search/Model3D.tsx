/** The 3-D view's loader: fetches the layout and lazy-loads three.js only when it is shown. */

import { lazy, Suspense, useState } from "react";
import { call } from "../api/client";
import { useApi } from "../api/context";
import { useRequest } from "../api/useRequest";
import { ErrorBanner } from "../components/ErrorBanner";

const View = lazy(() => import("./Model3DView"));
type ColorBy = "health" | "accuracy" | "kind";

function hasWebGL(): boolean {
  try {
    const canvas = document.createElement("canvas");
    return Boolean(canvas.getContext("webgl2") ?? canvas.getContext("webgl"));
  } catch {
    return false;
  }
}

export function Model3D({ study, number }: { study: string; number: number }) {
  const api = useApi();
  const [colorBy, setColorBy] = useState<ColorBy>("health");
  const layout = useRequest(`layout:${study}:${number}:${colorBy}`, () =>
    call(api.rest.GET("/api/studies/{name}/trials/{number}/layout", { params: { path: { name: study, number }, query: { color_by: colorBy } } })),
  );
  const [webgl] = useState(hasWebGL);
  return (
    <div>
      <div className="search-3d-bar" role="group" aria-label="Colour blocks by">
        <span className="search-help">Colour by</span>
        {(["health", "accuracy", "kind"] as const).map((c) => (
          <button key={c} type="button" className="button button-quiet" aria-pressed={colorBy === c} onClick={() => setColorBy(c)}>
            {c}
          </button>
        ))}
      </div>
      <p className="search-help">
        {colorBy === "health" && "Green: every unit of the layer is alive; red: most are dead. Grey: not measured (layers without units)."}
        {colorBy === "accuracy" && "Every layer with weights takes the trial's validation accuracy: red 0%, amber 50%, green 100%."}
        {colorBy === "kind" && "One colour per kind of layer."}
      </p>
      <ErrorBanner message={layout.error} />
      {layout.loading && <p className="loading">Loading the layout…</p>}
      {layout.data && !webgl && <p className="empty">This browser has no WebGL, which the 3-D view needs.</p>}
      {layout.data && webgl && (
        <Suspense fallback={<p className="loading">Loading the 3-D viewer…</p>}>
          <View layout={layout.data} filename={`${study}-trial${number}-3d`} />
        </Suspense>
      )}
    </div>
  );
}

/** Canvas helpers: jsdom (tests) and some locked-down browsers give no 2-D context. */

export function context2d(canvas: HTMLCanvasElement | null): CanvasRenderingContext2D | null {
  if (!canvas) return null;
  try {
    return canvas.getContext("2d");
  } catch {
    return null;
  }
}

let supported: boolean | null = null;

/** Whether this page can draw on a canvas at all (checked once). */
export function canvasSupported(): boolean {
  if (supported === null) supported = context2d(document.createElement("canvas")) !== null;
  return supported;
}

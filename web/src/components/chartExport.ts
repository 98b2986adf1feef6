/**
 * Rasterising what is on screen to a PNG: a canvas as it is; an SVG serialised with its
 * computed styles inlined (an SVG drawn as an image sees no page stylesheet); anything else
 * (an HTML chart: a uPlot plot with its legend, a bar list, a heat table) through an SVG
 * ``<foreignObject>``, with every canvas inside swapped for an image of its pixels. The
 * technique is the one of html-to-image / dom-to-image (MDN: "Drawing DOM objects into a
 * canvas"); every PNG gets a white background so it reads in any viewer.
 */

/** Computed properties copied onto SVG elements (presentation attributes and text). */
const SVG_PROPERTIES = [
  "fill",
  "fill-opacity",
  "stroke",
  "stroke-width",
  "stroke-opacity",
  "stroke-dasharray",
  "opacity",
  "font-family",
  "font-size",
  "font-weight",
  "text-anchor",
  "dominant-baseline",
  "visibility",
  "display",
];

/** Properties that make no sense once the element is a picture (grid rows: their computed
 * sizes are the screen's; left out, rows fit the picture's own text). */
const SKIPPED = new Set(["cursor", "pointer-events", "transition", "animation", "will-change", "grid-template-rows"]);

const SVG_NS = "http://www.w3.org/2000/svg";

/** A file name from a title: letters, digits, dots and dashes only. */
export function fileStem(name: string): string {
  return name.replace(/[^\w.-]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 80) || "chart";
}

/** Copy the computed style of every element of ``source`` onto the matching one of ``clone``. */
export function inlineStyles(source: Element, clone: Element, properties?: readonly string[]): void {
  const sources = [source, ...source.querySelectorAll("*")];
  const clones = [clone, ...clone.querySelectorAll("*")];
  sources.forEach((el, i) => {
    const target = clones[i] as HTMLElement | SVGElement | undefined;
    if (!target?.style) return;
    const computed = getComputedStyle(el);
    const names = properties ?? Array.from(computed);
    for (const name of names) {
      if (SKIPPED.has(name)) continue;
      const value = computed.getPropertyValue(name);
      if (value) target.style.setProperty(name, value);
    }
  });
}

/** Replace each canvas of ``clone`` by an ``<img>`` of the matching canvas of ``source``. */
function canvasesToImages(source: Element, clone: Element): void {
  const originals = source.querySelectorAll("canvas");
  clone.querySelectorAll("canvas").forEach((copy, i) => {
    const original = originals[i];
    if (!original) return;
    const img = document.createElement("img");
    img.src = original.toDataURL("image/png");
    img.setAttribute("style", copy.getAttribute("style") ?? "");
    const rect = original.getBoundingClientRect();
    img.width = Math.round(rect.width) || original.width;
    img.height = Math.round(rect.height) || original.height;
    copy.replaceWith(img);
  });
}

/**
 * Show what scrolls (a wide table in a narrow card) in full: each scroller of ``clone`` gets
 * its content's width; returns how much wider than ``source`` the picture must be.
 */
function unscroll(source: Element, clone: Element): number {
  const sources = [source, ...source.querySelectorAll("*")];
  const clones = [clone, ...clone.querySelectorAll("*")];
  let extra = 0;
  sources.forEach((el, i) => {
    const copy = clones[i] as HTMLElement | undefined;
    if (!copy?.style || el instanceof SVGElement) return;
    // Text may lay out a little wider in an image: let it spill rather than scroll.
    if (copy.style.overflowX !== "visible" || copy.style.overflowY !== "visible") {
      copy.style.setProperty("overflow", "visible");
      copy.style.setProperty("max-width", "none");
      copy.style.setProperty("max-height", "none");
      if (getComputedStyle(el).position === "static") copy.style.setProperty("height", "auto");
    }
    if (el.scrollWidth <= el.clientWidth + 1) return;
    extra = Math.max(extra, el.scrollWidth - el.clientWidth);
    copy.style.setProperty("width", `${el.scrollWidth}px`);
  });
  // A live legend's values read "--" away from the pointer: leave them out of a picture.
  clone.querySelectorAll(".u-legend .u-value").forEach((v) => (v.textContent = ""));
  return extra;
}

/** Blank margin around an HTML picture, and room for text that lays out larger as an image
 * (the picture is trimmed to its content afterwards, see contentBox). */
const PAD = 12;
const SLACK = 1.3;

/** The extent of what is not white in RGBA ``data``: one past the last column and row. */
export function contentBox(data: Uint8ClampedArray, width: number, height: number): { right: number; bottom: number } {
  let right = 0;
  let bottom = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      if ((data[i] as number) < 250 || (data[i + 1] as number) < 250 || (data[i + 2] as number) < 250) {
        if (x >= right) right = x + 1;
        bottom = y + 1;
      }
    }
  }
  return { right, bottom };
}

/** SVG markup that draws ``el`` on its own, styles inlined, at its on-screen size. */
export function svgMarkup(el: Element): { markup: string; width: number; height: number; trim: boolean } {
  const rect = el.getBoundingClientRect();
  let width = Math.max(1, Math.ceil(rect.width || Number(el.getAttribute("width")) || 1));
  let height = Math.max(1, Math.ceil(rect.height || Number(el.getAttribute("height")) || 1));
  const clone = el.cloneNode(true) as Element;
  if (el instanceof SVGSVGElement) {
    inlineStyles(el, clone, SVG_PROPERTIES);
    clone.setAttribute("width", String(width));
    clone.setAttribute("height", String(height));
    return { markup: new XMLSerializer().serializeToString(clone), width, height, trim: false };
  }
  inlineStyles(el, clone);
  canvasesToImages(el, clone);
  width += unscroll(el, clone);
  (clone as HTMLElement).style.setProperty("margin", "0");
  (clone as HTMLElement).style.setProperty("width", `${width}px`);
  (clone as HTMLElement).style.setProperty("height", "auto");
  width = Math.ceil(width * SLACK) + 2 * PAD;
  height = Math.ceil(height * SLACK) + 2 * PAD;
  // XMLSerializer declares the XHTML (and SVG) namespaces itself.
  const body = new XMLSerializer().serializeToString(clone);
  const markup = `<svg xmlns="${SVG_NS}" width="${width}" height="${height}"><foreignObject x="${PAD}" y="${PAD}" width="${width - 2 * PAD}" height="${height - PAD}">${body}</foreignObject></svg>`;
  return { markup, width, height, trim: true };
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error("the browser could not draw this chart as an image"));
    img.src = url;
  });
}

function toBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("the browser could not encode a PNG"))), "image/png"),
  );
}

/** A white canvas of ``width`` x ``height`` with ``draw`` painted on it. */
function whiteCanvas(width: number, height: number, draw: (ctx: CanvasRenderingContext2D) => void): HTMLCanvasElement {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("this browser cannot draw on a canvas");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, height);
  draw(ctx);
  return canvas;
}

/** A PNG of ``el``: a canvas at its own resolution, anything else at ``scale`` x its CSS size. */
export async function elementToPng(el: Element, scale = 2): Promise<Blob> {
  if (el instanceof HTMLCanvasElement) {
    return toBlob(whiteCanvas(el.width, el.height, (ctx) => ctx.drawImage(el, 0, 0)));
  }
  const { markup, width, height, trim } = svgMarkup(el);
  const img = await loadImage(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`);
  const w = Math.round(width * scale);
  const h = Math.round(height * scale);
  const full = whiteCanvas(w, h, (ctx) => ctx.drawImage(img, 0, 0, w, h));
  if (!trim) return toBlob(full);
  const box = contentBox(full.getContext("2d")?.getImageData(0, 0, w, h).data ?? new Uint8ClampedArray(), w, h);
  const cw = Math.min(w, box.right + PAD * scale);
  const ch = Math.min(h, box.bottom + PAD * scale);
  return toBlob(whiteCanvas(Math.max(1, cw), Math.max(1, ch), (ctx) => ctx.drawImage(full, 0, 0)));
}

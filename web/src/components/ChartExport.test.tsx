import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { contentBox, fileStem, inlineStyles, svgMarkup } from "./chartExport";
import { SavePng } from "./ChartExport";

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = "";
});

describe("chartExport", () => {
  it("makes file names of titles", () => {
    expect(fileStem("spirals 8 tanh-boundary")).toBe("spirals_8_tanh-boundary");
    expect(fileStem("  ")).toBe("chart");
  });

  it("serialises an SVG standalone, with the page's styles inlined on every element", () => {
    const style = document.createElement("style");
    style.textContent = ".edge { stroke: rgb(1, 2, 3); stroke-width: 3px; }";
    document.head.append(style);
    document.body.innerHTML = `<svg width="120" height="40"><line class="edge" x1="0" y1="0" x2="10" y2="10"/><text>w</text></svg>`;
    const { markup, width, height } = svgMarkup(document.querySelector("svg") as SVGSVGElement);
    style.remove();
    expect([width, height]).toEqual([120, 40]);
    const doc = new DOMParser().parseFromString(markup, "image/svg+xml");
    const root = doc.documentElement;
    expect(root.namespaceURI).toBe("http://www.w3.org/2000/svg");
    expect(doc.querySelector("parsererror")).toBeNull();
    expect(root.querySelector("line")?.getAttribute("style")).toContain("stroke: rgb(1, 2, 3)");
    expect(root.querySelector("line")?.getAttribute("style")).toContain("stroke-width: 3px");
  });

  it("wraps HTML in a foreignObject in the XHTML namespace", () => {
    document.body.innerHTML = `<ul class="bars" style="width: 50px; height: 20px"><li style="color: rgb(200, 0, 0)">a &amp; b</li></ul>`;
    const { markup } = svgMarkup(document.querySelector("ul") as Element);
    const doc = new DOMParser().parseFromString(markup, "image/svg+xml");
    expect(doc.querySelector("parsererror")).toBeNull();
    const ul = doc.querySelector("foreignObject > ul");
    expect(ul?.namespaceURI).toBe("http://www.w3.org/1999/xhtml");
    expect(ul?.querySelector("li")?.getAttribute("style")).toContain("color: rgb(200, 0, 0)");
    expect(ul?.textContent).toBe("a & b");
  });

  it("finds where a picture's content ends, to trim the white slack", () => {
    const w = 5;
    const h = 4;
    const data = new Uint8ClampedArray(w * h * 4).fill(255);
    data.set([10, 20, 30, 255], (2 * w + 3) * 4); // one dark pixel at x=3, y=2
    expect(contentBox(data, w, h)).toEqual({ right: 4, bottom: 3 });
    expect(contentBox(new Uint8ClampedArray(w * h * 4).fill(255), w, h)).toEqual({ right: 0, bottom: 0 });
  });

  it("lets scrolling boxes spill in the picture instead of showing scrollbars", () => {
    document.body.innerHTML = `<div class="card"><div style="overflow-x: auto"><table><tr><td>wide</td></tr></table></div></div>`;
    const { markup } = svgMarkup(document.querySelector(".card") as Element);
    const doc = new DOMParser().parseFromString(markup, "image/svg+xml");
    expect(doc.querySelector("foreignObject > div > div")?.getAttribute("style")).toContain("overflow: visible");
  });

  it("copies only the properties asked for", () => {
    document.body.innerHTML = `<div style="color: red; padding: 3px"></div>`;
    const source = document.querySelector("div") as HTMLElement;
    const clone = source.cloneNode(false) as HTMLElement;
    clone.removeAttribute("style");
    inlineStyles(source, clone, ["padding-top"]);
    expect(clone.style.paddingTop).toBe("3px");
    expect(clone.style.color).toBe("");
  });
});

describe("SavePng", () => {
  it("says there is nothing to save before its card has a chart", async () => {
    render(
      <section className="panel">
        <SavePng name="loss" />
        <p>no chart yet</p>
      </section>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Save loss as PNG" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("Nothing to save yet"));
  });

  it("explains a browser that cannot draw, instead of failing silently", async () => {
    render(
      <div data-export-root>
        <SavePng name="boundary" />
        <canvas width={10} height={10} />
      </div>,
    );
    fireEvent.click(screen.getByTestId("save-png"));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("cannot draw on a canvas"));
  });
});

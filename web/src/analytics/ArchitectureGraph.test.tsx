import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeServer } from "../test/fakeServer";
import { renderWithApi } from "../test/render";
import { AnalyticsPage } from "./AnalyticsPage";
import { an } from "./test/fixtures";

const MODEL = { ...an.upload(), id: "resnet", name: "resnet.pt", format: "torchscript", input_shape: [1, 3, 16, 16] };

function serve(htmlStatus = 200) {
  return fakeServer({
    "GET /api/models/resnet": () => ({ body: MODEL }),
    "GET /api/models/resnet/report": () => ({ body: an.resnetReport() }),
    "GET /api/models/resnet/report.html": () =>
      htmlStatus === 200 ? { body: "<!doctype html>" } : { status: htmlStatus, body: { error: { code: "analysis_failed", message: "resnet.pt: the analysis failed" } } },
  });
}

afterEach(() => vi.restoreAllMocks());

describe("ArchitectureGraph", () => {
  it("draws the real graph of a TorchScript ResNet: residual curves, the flagged layer in warning colour", async () => {
    const { api } = serve();
    renderWithApi(<AnalyticsPage modelId="resnet" />, api);
    const graph = await screen.findByTestId("an-graph");
    const report = an.resnetReport();
    expect(graph.querySelectorAll("[data-node]")).toHaveLength(report.architecture.nodes.length);
    expect(graph.querySelectorAll("path[data-skip]")).toHaveLength(2); // the two residual adds
    const flagged = graph.querySelector('[data-layer="1.conv1"]');
    expect(flagged?.getAttribute("class")).toContain("an-node-warning");
    expect(graph.querySelector('[data-layer="0"]')?.getAttribute("class")).toContain("an-node-ok");
    // label: name, type and output shape
    expect(flagged?.textContent).toContain("1.conv1");
    expect(flagged?.textContent).toContain("Conv2d · 1×8×16×16");
  });

  it("names the graph's source: torch.fx, TorchScript or a torch.export archive", async () => {
    for (const [method, name] of [["fx", "torch.fx"], ["torchscript", "TorchScript"], ["torch.export", "torch.export"]]) {
      const report = an.resnetReport();
      const { api } = fakeServer({
        "GET /api/models/resnet": () => ({ body: MODEL }),
        "GET /api/models/resnet/report": () => ({ body: { ...report, architecture: { ...report.architecture, method } } }),
      });
      const { unmount } = renderWithApi(<AnalyticsPage modelId="resnet" />, api);
      const graph = await screen.findByTestId("an-graph");
      expect(graph.parentElement?.textContent).toContain(`Read from the ${name} graph;`);
      unmount();
    }
  });

  it("selects a layer by click or keyboard, lists its findings and marks its table row", async () => {
    const { api } = serve();
    renderWithApi(<AnalyticsPage modelId="resnet" />, api);
    const node = await screen.findByRole("button", { name: /^1\.conv1, Conv2d.*worst finding warning/ });
    expect(node.getAttribute("tabindex")).toBe("0");
    fireEvent.keyDown(node, { key: "Enter" });
    const detail = screen.getByTestId("an-graph-detail");
    expect(detail.textContent).toContain("1 finding");
    expect(detail.textContent).toContain("dead_units");
    const row = screen.getByTestId("an-layers").querySelector('tr[data-layer="1.conv1"]');
    expect(row?.getAttribute("data-selected")).toBe("true");
    const scrolled = vi.fn();
    (row as HTMLElement).scrollIntoView = scrolled;
    fireEvent.click(within(detail).getByRole("button", { name: "Show in layer table" }));
    expect(scrolled).toHaveBeenCalled();
    expect(document.activeElement).toBe(row);
    fireEvent.click(screen.getByRole("button", { name: /^0, Conv2d/ }));
    expect(detail.textContent).toContain("no finding on this layer");
    fireEvent.click(screen.getByRole("button", { name: /^0, Conv2d/ })); // again: deselect
    expect(detail.textContent).toContain("No layer selected");
  });

  it("zooms the drawing and offers it as PNG", async () => {
    const { api } = serve();
    renderWithApi(<AnalyticsPage modelId="resnet" />, api);
    const svg = (await screen.findByTestId("an-graph")).querySelector("svg") as SVGSVGElement;
    const width = Number(svg.getAttribute("width"));
    fireEvent.click(screen.getByRole("button", { name: "Zoom out" }));
    expect(Number(svg.getAttribute("width"))).toBeCloseTo(width * 0.75);
    expect(screen.getByTestId("an-graph-png")).toBeTruthy();
    for (const id of ["an-gauge-png", "an-hist-png", "an-latency-png"]) expect(screen.getByTestId(id)).toBeTruthy();
  });

  it("downloads the HTML report through the API client", async () => {
    const created: Blob[] = [];
    vi.spyOn(URL, "createObjectURL").mockImplementation((b) => {
      created.push(b as Blob);
      return "blob:x";
    });
    vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => undefined);
    const { api, requests } = serve();
    renderWithApi(<AnalyticsPage modelId="resnet" />, api);
    fireEvent.click(await screen.findByTestId("an-export-html"));
    await waitFor(() => expect(created).toHaveLength(1));
    expect(requests.some((r) => r.path === "/api/models/resnet/report.html")).toBe(true);
  });

  it("explains a failed HTML report", async () => {
    const { api } = serve(422);
    renderWithApi(<AnalyticsPage modelId="resnet" />, api);
    fireEvent.click(await screen.findByTestId("an-export-html"));
    expect((await screen.findByRole("alert")).textContent).toMatch(/HTML report could not be made.*analysis failed/);
  });
});

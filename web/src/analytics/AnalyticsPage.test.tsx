import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { fakeServer } from "../test/fakeServer";
import { renderWithApi } from "../test/render";
import { AnalyticsPage } from "./AnalyticsPage";
import { uploadError } from "./model";
import { an } from "./test/fixtures";
import { UploadFailed, type Uploader } from "./upload";

function serve(report = an.deadReport(), upload = an.upload()) {
  return fakeServer({
    "GET /api/models": () => ({ body: an.models() }),
    [`GET /api/models/${upload.id}`]: () => ({ body: upload }),
    [`GET /api/models/${upload.id}/report`]: () => ({ body: report }),
    "POST /api/models/compare": () => ({ body: an.compare() }),
    "GET /api/runs": () => ({ body: an.runs() }),
  });
}

afterEach(() => {
  window.location.hash = "";
});

describe("AnalyticsPage: library", () => {
  it("lists uploaded models with links to their reports", async () => {
    const { api } = serve();
    renderWithApi(<AnalyticsPage modelId={null} />, api);
    for (const m of an.models().items) {
      const link = await screen.findByRole("link", { name: m.name });
      expect(link.getAttribute("href")).toBe(`#/analytics/${m.id}`);
    }
  });

  it("shows an empty state before any upload", async () => {
    const empty = { items: [], total: 0, limit: 100, offset: 0 };
    const { api } = fakeServer({ "GET /api/models": () => ({ body: empty }), "GET /api/runs": () => ({ body: { ...empty, limit: 20 } }) });
    renderWithApi(<AnalyticsPage modelId={null} />, api);
    expect(await screen.findByTestId("an-empty")).toBeTruthy();
  });

  it("compares two picked models and shows the recommendation", async () => {
    const { api, requests } = serve();
    renderWithApi(<AnalyticsPage modelId={null} />, api);
    const [a, b] = an.models().items;
    const button = screen.getByRole("button", { name: /Compare selected/ });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(await screen.findByRole("checkbox", { name: `Compare ${a?.name}` }));
    fireEvent.click(screen.getByRole("checkbox", { name: `Compare ${b?.name}` }));
    fireEvent.click(screen.getByRole("button", { name: "Compare selected (2)" }));
    const rec = await screen.findByTestId("an-recommended");
    expect(rec.textContent).toContain(an.compare().recommended);
    expect(requests.find((r) => r.method === "POST")?.body).toEqual({ ids: [a?.id, b?.id] });
  });

  it("opens the report of an uploaded file", async () => {
    const { api } = serve();
    const uploaded = an.upload();
    const uploader: Uploader = async ({ onProgress }) => {
      onProgress(0.5);
      return uploaded;
    };
    renderWithApi(<AnalyticsPage modelId={null} uploader={uploader} />, api);
    const input = screen.getByTestId("an-file");
    fireEvent.change(input, { target: { files: [new File(["x"], "dead_layer.pt")] } });
    await waitFor(() => expect(window.location.hash).toBe(`#/analytics/${uploaded.id}`));
  });

  it("explains a refused upload", async () => {
    const { api } = serve();
    const uploader: Uploader = () => Promise.reject(new UploadFailed(uploadError(422, an.unsafe())));
    renderWithApi(<AnalyticsPage modelId={null} uploader={uploader} />, api);
    fireEvent.drop(screen.getByTestId("an-drop"), { dataTransfer: { files: [new File(["x"], "unsafe.pt")] } });
    const banner = await screen.findByRole("alert");
    expect(banner.textContent).toMatch(/Refused for safety.*not executed/);
  });

  it("rejects a malformed input shape before sending anything", async () => {
    const { api } = serve();
    let sent = 0;
    const uploader: Uploader = async () => {
      sent += 1;
      return an.upload();
    };
    renderWithApi(<AnalyticsPage modelId={null} uploader={uploader} />, api);
    fireEvent.change(screen.getByPlaceholderText("e.g. 1,3,32,32"), { target: { value: "1x3" } });
    fireEvent.change(screen.getByTestId("an-file"), { target: { files: [new File(["x"], "m.pt")] } });
    expect((await screen.findByRole("alert")).textContent).toMatch(/input shape/);
    expect(sent).toBe(0);
  });
});

describe("AnalyticsPage: one model", () => {
  it("shows the health score with each point traced to its finding", async () => {
    const { api } = serve();
    renderWithApi(<AnalyticsPage modelId={an.upload().id} />, api);
    expect((await screen.findByTestId("an-score")).textContent).toBe("90 / 100");
    const lost = screen.getByRole("list", { name: "Points lost" });
    const link = within(lost).getByRole("link", { name: "−10 dead_units (0)" });
    fireEvent.click(link);
    const finding = screen.getAllByTestId("an-finding")[0] as HTMLElement;
    expect(document.activeElement).toBe(finding);
    expect(finding.textContent).toContain("2 of 32 units in 0 are dead");
    expect(finding.textContent).toMatch(/units1, 5/);
  });

  it("has a sortable layer table, weights, alpha and the estimate note", async () => {
    const { api } = serve();
    renderWithApi(<AnalyticsPage modelId={an.upload().id} />, api);
    const table = await screen.findByTestId("an-layers");
    const names = () => within(table).getAllByRole("row").slice(1).map((r) => r.querySelector("code")?.textContent);
    expect(names()).toEqual(["0", "2", "4"]);
    fireEvent.click(within(table).getByRole("button", { name: "Params" })); // largest first
    expect(names()).toEqual(["2", "0", "4"]); // 1056, 544, 132 parameters
    fireEvent.click(within(table).getByRole("button", { name: /Params/ }));
    expect(names()).toEqual(["4", "0", "2"]);
    expect(screen.getByRole("img", { name: /Histogram of 0\.weight/ })).toBeTruthy();
    expect(screen.getByRole("img", { name: /Eigenvalue spectrum of 0\.weight, log-log, no fit/ })).toBeTruthy();
    expect(screen.getByTestId("an-flops-note").textContent).toMatch(/^ESTIMATE from the weights alone/);
    expect(screen.getByText(/Efficiency tier: memory-bound/)).toBeTruthy();
    expect(screen.getByRole("list", { name: "time per layer" })).toBeTruthy();
  });

  it("shows measured latency and patterns for an executable model", async () => {
    const upload = { ...an.upload(), id: "cnn", name: "small_cnn.pt2", input_shape: [1, 3, 16, 16] };
    const { api } = serve(an.cnnReport(), upload);
    renderWithApi(<AnalyticsPage modelId="cnn" />, api);
    expect((await screen.findByTestId("an-arch-primary")).textContent).toBe("CNN");
    expect(screen.getByText(/latency, batch 1/)).toBeTruthy();
    expect(screen.getByText(/input 1×3×16×16/)).toBeTruthy();
  });

  it("says what to do when the model is missing", async () => {
    const { api } = fakeServer({});
    renderWithApi(<AnalyticsPage modelId="nope" />, api);
    expect((await screen.findByRole("alert")).textContent).toMatch(/no fake route/);
    expect(screen.getByRole("link", { name: "go back to all models" })).toBeTruthy();
  });
});

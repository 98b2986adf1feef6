import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeServer } from "../test/fakeServer";
import { renderWithApi } from "../test/render";
import { EXPORTS, ExportButtons } from "./ExportButtons";
import type { ModelSource } from "./modelSource";

const buttons = () => EXPORTS.map(({ fmt }) => screen.getByTestId(`pg-export-${fmt}`) as HTMLButtonElement);

function show(source: ModelSource, status = 200) {
  const body = status === 200 ? { weights: true } : { error: { code: "no_model", message: "run r is failed and no longer live, and no model was stored when it ended" } };
  const server = fakeServer({ "GET /api/runs/r/export/safetensors": () => ({ status, body }) });
  renderWithApi(<ExportButtons runId="r" runName="circle 4-2" source={source} />, server.api);
  return server.requests;
}

afterEach(() => vi.restoreAllMocks());

describe("ExportButtons", () => {
  it("are enabled for a live run, without a note", () => {
    show("live");
    expect(buttons().every((b) => !b.disabled)).toBe(true);
    expect(screen.queryByTestId("pg-export-note")).toBeNull();
  });

  it("are enabled for an ended run with a stored model, and download from it", async () => {
    vi.spyOn(URL, "createObjectURL").mockImplementation(() => "blob:model");
    vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => undefined);
    const clicks: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    const requests = show("stored");
    expect(buttons().every((b) => !b.disabled)).toBe(true);
    expect(screen.getByTestId("pg-export-note").textContent).toContain("final model was kept");
    fireEvent.click(screen.getByTestId("pg-export-safetensors"));
    await waitFor(() => expect(clicks).toEqual(["circle_4-2-model.safetensors"]));
    expect(requests.map((r) => r.path)).toEqual(["/api/runs/r/export/safetensors"]);
  });

  it("are disabled, with the reason, for an ended run that kept no model", () => {
    const requests = show("none");
    expect(buttons().every((b) => b.disabled)).toBe(true);
    expect(screen.getByTestId("pg-export-note").textContent).toContain("without a stored model");
    fireEvent.click(screen.getByTestId("pg-export-onnx"));
    expect(requests).toHaveLength(0);
  });

  it("show the server's message when the model is gone after all", async () => {
    show("stored", 409);
    fireEvent.click(screen.getByTestId("pg-export-safetensors"));
    expect((await screen.findByRole("alert")).textContent).toContain("no model was stored when it ended");
    expect(buttons().every((b) => !b.disabled)).toBe(true);
  });
});

import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { fakeServer } from "../test/fakeServer";
import { renderWithApi } from "../test/render";
import { ArchitectureBuilder } from "./ArchitectureBuilder";
import { DEFAULT_FORM, type PlaygroundForm } from "./form";
import { newLayer, type LayerDraft } from "./layers";
import { pg } from "./test/pgFixtures";

function Harness({ initial, onLayers }: { initial: PlaygroundForm; onLayers?: (l: LayerDraft[]) => void }) {
  const [form, setForm] = useState(initial);
  return (
    <ArchitectureBuilder
      form={form}
      disabled={false}
      onChange={(layers) => {
        onLayers?.(layers);
        setForm({ ...form, layers });
      }}
    />
  );
}

const types = () => screen.getAllByTestId("pg-layer").map((li) => li.querySelector(".pg-layer-title")?.textContent);
const cnn = () => [newLayer("conv2d", { filters: "4" }), newLayer("maxpool2d"), newLayer("flatten"), newLayer("dense")];
const digits: PlaygroundForm = { ...DEFAULT_FORM, dataset: "digits", layers: cnn() };

/** Lay the stack's items out 40 px apart (jsdom has no layout). */
function layOut(stack: HTMLElement) {
  stack.getBoundingClientRect = () => ({ left: 0, right: 300, top: 0, bottom: 400, width: 300, height: 400, x: 0, y: 0, toJSON: () => ({}) });
  stack.querySelectorAll<HTMLElement>("[data-layer-index]").forEach((el, i) => {
    el.getBoundingClientRect = () => ({ left: 0, right: 300, top: i * 40, bottom: i * 40 + 40, width: 300, height: 40, x: 0, y: i * 40, toJSON: () => ({}) });
  });
}

describe("ArchitectureBuilder", () => {
  it("shows each layer's output shape and parameters as the server computes them", async () => {
    const { api, requests } = fakeServer({ "POST /api/nets/shapes": () => ({ body: pg.shapes() }) });
    renderWithApi(<Harness initial={digits} />, api);
    await waitFor(() => expect(screen.getAllByTestId("pg-layer-shape")[0]?.textContent).toBe("→ 4×6×6 · 40 params"));
    expect(screen.getAllByTestId("pg-layer-shape").map((s) => s.textContent)).toEqual([
      "→ 4×6×6 · 40 params",
      "→ 4×3×3 · 0 params",
      "→ 36 · 0 params",
      "→ 8 · 296 params",
    ]);
    expect(screen.getByTestId("pg-input-shape").textContent).toBe("Input: 1×8×8");
    expect(screen.getByTestId("pg-output-shape").textContent).toContain("10 · 90 params");
    expect(screen.getByTestId("pg-total-params").textContent).toContain("426 parameters");
    const body = requests[0]?.body as { spec: { layers: unknown[] }; data: { dataset: string } };
    expect(body.data.dataset).toBe("digits");
    expect(body.spec.layers[0]).toEqual({ type: "conv2d", filters: 4, kernel_size: 3, stride: 1, padding: "valid", activation: "relu" });
  });

  it("puts the server's field-addressed error on the offending layer", async () => {
    const { api } = fakeServer({ "POST /api/nets/shapes": () => ({ body: pg.shapesError() }) });
    renderWithApi(<Harness initial={{ ...digits, layers: [newLayer("dense"), newLayer("conv2d")] }} />, api);
    const error = await screen.findByTestId("pg-layer-error");
    expect(error.textContent).toBe(pg.shapesError().error?.message);
    expect(error.closest("[data-layer-index]")?.getAttribute("data-layer-index")).toBe("0");
  });

  it("shows a value it cannot send on its layer, without asking the server", async () => {
    const { api, requests } = fakeServer({});
    renderWithApi(<Harness initial={DEFAULT_FORM} />, api);
    fireEvent.change(screen.getByLabelText("Layer 2 units"), { target: { value: "0" } });
    const error = await screen.findByTestId("pg-layer-error");
    expect(error.textContent).toBe("Layer 2 units: must be between 1 and 1024");
    expect(error.closest("[data-layer-index]")?.getAttribute("data-layer-index")).toBe("1");
    await new Promise((r) => setTimeout(r, 300));
    expect(requests.filter((r) => r.path === "/api/nets/shapes")).toHaveLength(0);
  });

  it("adds, moves and removes layers with buttons, and undoes and redoes", () => {
    const { api } = fakeServer({ "POST /api/nets/shapes": () => ({ body: pg.shapes() }) });
    renderWithApi(<Harness initial={{ ...DEFAULT_FORM, layers: [] }} />, api);
    expect(screen.getByText(/No hidden layers/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Add Dense layer" }));
    fireEvent.click(screen.getByRole("button", { name: "Add Dropout layer" }));
    fireEvent.click(screen.getByRole("button", { name: "Add BatchNorm layer" }));
    expect(types()).toEqual(["1. Dense", "2. Dropout", "3. BatchNorm"]);
    fireEvent.click(screen.getByRole("button", { name: "Move layer 3 up" }));
    expect(types()).toEqual(["1. Dense", "2. BatchNorm", "3. Dropout"]);
    fireEvent.click(screen.getByRole("button", { name: "Remove layer 1" }));
    expect(types()).toEqual(["1. BatchNorm", "2. Dropout"]);
    fireEvent.click(screen.getByRole("button", { name: "Undo" }));
    expect(types()).toEqual(["1. Dense", "2. BatchNorm", "3. Dropout"]);
    fireEvent.click(screen.getByRole("button", { name: "Undo" }));
    expect(types()).toEqual(["1. Dense", "2. Dropout", "3. BatchNorm"]);
    fireEvent.click(screen.getByRole("button", { name: "Redo" }));
    expect(types()).toEqual(["1. Dense", "2. BatchNorm", "3. Dropout"]);
  });

  it("edits settings in place per layer type", () => {
    let last: LayerDraft[] = [];
    const { api } = fakeServer({ "POST /api/nets/shapes": () => ({ body: pg.shapes() }) });
    renderWithApi(<Harness initial={digits} onLayers={(l) => (last = l)} />, api);
    fireEvent.change(screen.getByLabelText("Layer 1 kernel size"), { target: { value: "5" } });
    fireEvent.change(screen.getByLabelText("Layer 1 padding"), { target: { value: "same" } });
    fireEvent.change(screen.getByLabelText("Layer 2 pool size"), { target: { value: "3" } });
    expect(last[0]).toMatchObject({ type: "conv2d", kernelSize: "5", padding: "same" });
    expect(last[1]).toMatchObject({ type: "maxpool2d", poolSize: "3" });
  });

  it("drops a palette item where the pointer lets go, and reorders by dragging a handle", () => {
    const { api } = fakeServer({ "POST /api/nets/shapes": () => ({ body: pg.shapes() }) });
    renderWithApi(<Harness initial={{ ...DEFAULT_FORM, layers: [newLayer("dense"), newLayer("dense", { units: "3" })] }} />, api);
    const stack = screen.getByTestId("layers-editor");
    layOut(stack);
    // Palette -> between the two layers (midpoints at 20 and 60).
    fireEvent.pointerDown(screen.getByTestId("pg-palette-dropout"), { button: 0, clientX: 500, clientY: 30 });
    fireEvent.pointerMove(window, { clientX: 100, clientY: 40 });
    expect(stack.querySelector(".pg-drop-line")).toBeTruthy();
    fireEvent.pointerUp(window, { clientX: 100, clientY: 40 });
    expect(types()).toEqual(["1. Dense", "2. Dropout", "3. Dense"]);
    // Drag the last layer's handle to the top.
    layOut(stack);
    const handle = within(screen.getAllByTestId("pg-layer")[2] as HTMLElement).getByTitle("Drag to reorder");
    fireEvent.pointerDown(handle, { button: 0, clientX: 10, clientY: 100 });
    fireEvent.pointerMove(window, { clientX: 10, clientY: 5 });
    fireEvent.pointerUp(window, { clientX: 10, clientY: 5 });
    expect(types()).toEqual(["1. Dense", "2. Dense", "3. Dropout"]);
    expect(screen.getByLabelText("Layer 1 units")).toHaveProperty("value", "3");
  });

  it("ignores a drop outside the stack", () => {
    const { api } = fakeServer({ "POST /api/nets/shapes": () => ({ body: pg.shapes() }) });
    renderWithApi(<Harness initial={DEFAULT_FORM} />, api);
    layOut(screen.getByTestId("layers-editor"));
    fireEvent.pointerDown(screen.getByTestId("pg-palette-flatten"), { button: 0, clientX: 500, clientY: 30 });
    fireEvent.pointerMove(window, { clientX: 900, clientY: 900 });
    fireEvent.pointerUp(window, { clientX: 900, clientY: 900 });
    expect(types()).toHaveLength(2);
  });
});

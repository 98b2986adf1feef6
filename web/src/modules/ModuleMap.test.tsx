import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeServer } from "../test/fakeServer";
import { renderWithApi } from "../test/render";
import { moduleState, SNAPSHOTS } from "./fixtures";
import {
  CLASS_COLOURS,
  describeChange,
  edgeWidth,
  functionLabel,
  imageShape,
  layoutModules,
  moduleColour,
  NEUTRAL,
  timeline,
} from "./layout";
import { ModuleMap } from "./ModuleMap";
import { ModulesPanel } from "./ModulesPanel";

const RUN = "r".repeat(32);

describe("module map helpers", () => {
  it("puts layers in columns and sizes nodes by sqrt(units)", () => {
    const mods = SNAPSHOTS[1]!.payload.modules;
    const layout = layoutModules(["act1", "act2"], mods, 720);
    expect(layout.width).toBe(440); // as wide as two columns need
    expect(layout.columns.map((c) => c.x)).toEqual([70, 370]);
    expect(layoutModules(["a", "b", "c", "d", "e"], [], 720).width).toBe(720);
    const [a, b, c] = layout.nodes;
    expect(a!.x).toBe(70);
    expect(c!.x).toBe(370);
    expect(a!.r).toBeCloseTo(34); // the largest module
    expect(b!.r).toBeCloseTo(8 + 26 * Math.sqrt(2 / 4));
    expect(a!.y).toBeLessThan(b!.y);
  });

  it("colours by the driving class, grey when uninformative", () => {
    const [detects, uninformative, unevaluated] = SNAPSHOTS[1]!.payload.modules;
    expect(moduleColour(detects!)).toBe(CLASS_COLOURS[0]);
    expect(moduleColour(uninformative!)).toBe(NEUTRAL);
    expect(moduleColour(unevaluated!)).toBe(CLASS_COLOURS[0]);
    expect(functionLabel(unevaluated!)).toBe("strongest drive: class 0 (not evaluated yet)");
    expect(moduleColour(moduleState("x", "l", [0], [], null))).toBe(NEUTRAL);
    // the evaluated label names the class (on its best task), whatever task 0's drive says
    const task1 = moduleState("y", "l", [0], [0.9, -0.9], "encodes the classes (task 1); strongest drive: class 1");
    expect(moduleColour(task1)).toBe(CLASS_COLOURS[1]);
  });

  it("scales edges by the chosen measure and hides negligible ones", () => {
    const link = { source: "a", target: "b", weight: 0.5, gradient: 0.001 };
    expect(edgeWidth(link, "weight")).toBeCloseTo(6.5);
    expect(edgeWidth(link, "gradient")).toBe(0);
    expect(edgeWidth({ ...link, gradient: null }, "gradient")).toBe(0);
  });

  it("lists lifecycle changes in words, oldest first", () => {
    const entries = timeline(SNAPSHOTS);
    expect(entries.map((e) => e.step)).toEqual([200, 200, 400]);
    expect(entries.map((e) => describeChange(e.change))).toEqual([
      "act1/M1 was born",
      "act1/M2 was born",
      "act2/M0 split into act2/M3, act2/M4",
    ]);
    expect(describeChange({ type: "merged", layer: "l", modules: ["M9", "M1", "M2"], jaccard: 0.4 })).toBe(
      "M1 + M2 merged into M9",
    );
    expect(imageShape([1, 28, 28])).toEqual([28, 28]);
    expect(imageShape([2])).toBeNull();
  });
});

describe("ModuleMap", () => {
  it("draws modules and edges, zooms into a module by keyboard, and steps back in time", () => {
    render(<ModuleMap snapshots={SNAPSHOTS} />);
    expect(screen.getAllByTestId("modmap-node")).toHaveLength(3);
    expect(screen.getAllByTestId("modmap-edge")).toHaveLength(2);
    expect(screen.getByTestId("modmap-step").textContent).toBe("400");
    const node = screen.getByRole("button", { name: /act1\/M2: 2 units, uninformative/ });
    fireEvent.keyDown(node, { key: "Enter" });
    const detail = screen.getByTestId("modmap-detail");
    expect(within(detail).getByText(/What if we prune it/)).toBeTruthy();
    expect(within(detail).getByTestId("modmap-heatmap")).toBeTruthy();
    expect(within(detail).getAllByRole("row")).toHaveLength(3); // header + 2 units
    fireEvent.click(within(detail).getByRole("button", { name: "Back to the map" }));
    expect(screen.queryByTestId("modmap-detail")).toBeNull();
    expect(within(screen.getByTestId("modmap-alerts")).getByText(/Re-initialise or prune/)).toBeTruthy();
    expect(within(screen.getByTestId("modmap-timeline")).getAllByRole("listitem")).toHaveLength(3);
    fireEvent.change(screen.getByRole("slider", { name: "Module snapshot step" }), { target: { value: "0" } });
    expect(screen.getByTestId("modmap-step").textContent).toBe("200");
    expect(screen.getByText("No alerts on these modules.")).toBeTruthy();
    // |W| instead of gradient flow: the same edges, other widths
    fireEvent.click(screen.getByRole("radio", { name: /\|W\|/ }));
    const widths = screen.getAllByTestId("modmap-edge").map((g) => g.querySelector("path")?.getAttribute("stroke-width"));
    expect(widths).toEqual([String(1 + 11 * 0.7), String(1 + 11 * 0.3)]);
  });

  it("says so when there is nothing to draw", () => {
    render(<ModuleMap snapshots={[]} />);
    expect(screen.getByTestId("modmap-empty")).toBeTruthy();
  });
});

describe("ModulesPanel", () => {
  it("loads the snapshots and re-runs the decomposition with the chosen method", async () => {
    const explored = { ...SNAPSHOTS[1]!, step: 450 };
    explored.payload = {
      ...explored.payload,
      layers: explored.payload.layers.map((l) => ({ ...l, method: "spectral" })),
    };
    const { api, requests } = fakeServer({
      [`GET /api/runs/${RUN}/modules`]: () => ({ body: { run_id: RUN, snapshots: SNAPSHOTS } }),
      [`POST /api/runs/${RUN}/modules/decompose`]: () => ({ body: explored }),
    });
    renderWithApi(<ModulesPanel runId={RUN} live={false} canRerun />, api);
    expect(await screen.findAllByTestId("modmap-node")).toHaveLength(3);
    fireEvent.change(screen.getByRole("combobox", { name: /Method/ }), { target: { value: "spectral" } });
    fireEvent.change(screen.getByRole("spinbutton", { name: "Number of modules per layer" }), { target: { value: "3" } });
    fireEvent.click(screen.getByRole("button", { name: "Re-run decomposition" }));
    expect(await screen.findByText(/Showing a re-run \(spectral\) of step 450/)).toBeTruthy();
    const post = requests.find((r) => r.method === "POST");
    expect(post?.body).toEqual({ method: "spectral", evaluate: false, k: 3 });
    fireEvent.click(screen.getByRole("button", { name: "Back to the recorded snapshots" }));
    expect(screen.getByTestId("modmap-step").textContent).toBe("400");
  });

  it("shows the server's refusal, the empty state, and load errors", async () => {
    const { api } = fakeServer({
      [`GET /api/runs/${RUN}/modules`]: () => ({ body: { run_id: RUN, snapshots: SNAPSHOTS } }),
      [`POST /api/runs/${RUN}/modules/decompose`]: () => ({
        status: 409,
        body: { error: { code: "conflict", message: "has no model in this server's memory" } },
      }),
    });
    renderWithApi(<ModulesPanel runId={RUN} live={false} canRerun />, api);
    fireEvent.click(await screen.findByRole("button", { name: "Re-run decomposition" }));
    expect((await screen.findByTestId("error-banner")).textContent).toMatch(/no model in this server's memory/);

    const empty = fakeServer({ [`GET /api/runs/${RUN}/modules`]: () => ({ body: { run_id: RUN, snapshots: [] } }) });
    renderWithApi(<ModulesPanel runId={RUN} live={false} canRerun={false} />, empty.api);
    expect((await screen.findByTestId("modmap-none")).textContent).toMatch(/probe=\(inputs, targets\)/);

    const broken = fakeServer({});
    renderWithApi(<ModulesPanel runId={RUN} live={false} canRerun={false} />, broken.api);
    await waitFor(() => expect(screen.getAllByTestId("error-banner").some((b) => /Could not load the modules/.test(b.textContent ?? ""))).toBe(true));
  });
});

import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeServer } from "../test/fakeServer";
import { renderWithApi } from "../test/render";
import { SNAPSHOTS } from "./fixtures";
import { ModulesPanel } from "./ModulesPanel";
import type { WhatIfOut } from "./types";

const RUN = "r".repeat(32);
const URL = `/api/runs/${RUN}/modules/act1%2FM1/what-if`; // the id "act1/M1", encoded

function answer(intervention: "prune" | "reinitialize"): WhatIfOut {
  return {
    module: "act1/M1",
    intervention,
    loss_before: 0.1,
    loss_after: 0.9,
    accuracy_before: [0.95],
    accuracy_after: [0.6],
    f1_before: [[0.96, 0.94]],
    f1_after: [[0.2, 0.7]],
    run_id: RUN,
    step: 400,
    layer: "act1",
    units: [0, 1, 2, 3],
    probe: "probe batch",
    probe_samples: 256,
  };
}

async function openModule(name: RegExp) {
  const node = await screen.findByRole("button", { name });
  fireEvent.keyDown(node, { key: "Enter" });
  return screen.getByTestId("modmap-detail");
}

describe("what-if previews from the module map", () => {
  it("previews prune and re-initialize for a module without alerts, with a loading state", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { api, requests } = fakeServer({
      [`GET /api/runs/${RUN}/modules`]: () => ({ body: { run_id: RUN, snapshots: SNAPSHOTS } }),
      [`POST ${URL}`]: async (r) => {
        await gate;
        return { body: answer((r.body as { intervention: "prune" | "reinitialize" }).intervention) };
      },
    });
    renderWithApi(<ModulesPanel runId={RUN} live={false} canRerun />, api);
    const detail = await openModule(/act1\/M1: /);
    fireEvent.click(within(detail).getByRole("button", { name: "Preview prune" }));
    expect(await within(detail).findByText("Applying the intervention to a copy…")).toBeTruthy();
    expect(within(detail).getByRole("button", { name: "Previewing…" })).toHaveProperty("disabled", true);
    expect(within(detail).getByRole("button", { name: "Preview re-initialize" })).toHaveProperty("disabled", true);
    release();
    const result = await within(detail).findByTestId("modmap-whatif-result");
    expect(result.textContent).toMatch(/Pruned 4 units of act1 on a copy of the model at step 400/);
    expect(result.textContent).toMatch(/0\.100 → 0\.900 \(\+0\.800\)/);
    expect(result.textContent).toMatch(/95\.0% → 60\.0% \(−35\.0 pts\)/);
    const rows = within(within(result).getByRole("table", { name: "F1 per class" })).getAllByRole("row");
    expect(rows.map((r) => r.textContent)).toEqual(["ClassF1 beforeF1 afterChange", "00.960.20−0.76", "10.940.70−0.24"]);
    expect(requests.filter((r) => r.method === "POST").map((r) => [r.path, r.body])).toEqual([[URL, { intervention: "prune" }]]);
    fireEvent.click(within(detail).getByRole("button", { name: "Preview re-initialize" }));
    await waitFor(() => expect(within(detail).getByTestId("modmap-whatif-result").textContent).toMatch(/^Re-initialized/));
  });

  it("shows the server's refusal, and offers nothing when the server lacks the model", async () => {
    const { api } = fakeServer({
      [`GET /api/runs/${RUN}/modules`]: () => ({ body: { run_id: RUN, snapshots: SNAPSHOTS } }),
      [`POST ${URL}`]: () => ({
        status: 409,
        body: { error: { code: "conflict", message: "has no model in this server's memory" } },
      }),
    });
    const first = renderWithApi(<ModulesPanel runId={RUN} live={false} canRerun />, api);
    const detail = await openModule(/act1\/M1: /);
    fireEvent.click(within(detail).getByRole("button", { name: "Preview prune" }));
    const banner = await within(detail).findByTestId("error-banner");
    expect(banner.textContent).toMatch(/Could not preview: .*no model in this server's memory/);
    expect(within(detail).queryByTestId("modmap-whatif-result")).toBeNull();
    expect(within(detail).getByRole("button", { name: "Preview prune" })).toHaveProperty("disabled", false);
    first.unmount();

    const watched = fakeServer({ [`GET /api/runs/${RUN}/modules`]: () => ({ body: { run_id: RUN, snapshots: SNAPSHOTS } }) });
    renderWithApi(<ModulesPanel runId={RUN} live={false} canRerun={false} />, watched.api);
    const other = await openModule(/act1\/M1: /);
    expect(within(other).getByTestId("modmap-whatif-off").textContent).toMatch(/need the run's model in this server/);
    expect(within(other).queryByRole("button", { name: "Preview prune" })).toBeNull();
  });
});

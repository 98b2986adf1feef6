import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeServer } from "../../test/fakeServer";
import { renderWithApi } from "../../test/render";
import { pg } from "../test/pgFixtures";
import { BackpropStepper } from "./BackpropStepper";
import { fmt, prediction, sampleLoss } from "./explain";

const RUN = "run-1";

function serve(answer = () => ({ body: pg.backprop() as unknown })) {
  return fakeServer({ [`POST /api/runs/${RUN}/backprop`]: answer });
}

const cells = (testId: string) =>
  [...screen.getByTestId(testId).querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.getAttribute("title")));

describe("BackpropStepper", () => {
  it("steps once and walks forward, loss, gradients and update with the server's numbers", async () => {
    const trace = pg.backprop();
    const { api, requests } = serve();
    renderWithApi(<BackpropStepper runId={RUN} status="paused" live />, api);
    fireEvent.click(screen.getByTestId("pg-step-button"));
    await screen.findByTestId("pg-stage-forward");
    expect(requests.filter((r) => r.method === "POST")).toHaveLength(1);
    expect(screen.getByTestId("pg-trace-step").textContent).toContain(`step ${trace.step}`);

    // Forward: z and a of every unit of sample 1, exactly as sent.
    const dense1 = trace.layers[0];
    if (!dense1) throw new Error("fixture has no layers");
    expect(cells("pg-forward-dense1")).toEqual(dense1.bias.map((_, u) => [String(dense1.pre_activation[0]?.[u]), String(dense1.activation_value[0]?.[u])]));
    // Another sample shows its own values.
    fireEvent.change(screen.getByTestId("pg-sample-select"), { target: { value: "3" } });
    expect(cells("pg-forward-dense1")[0]).toEqual([String(dense1.pre_activation[3]?.[0]), String(dense1.activation_value[3]?.[0])]);

    fireEvent.click(screen.getByTestId("pg-next-stage"));
    expect(screen.getByTestId("pg-loss-value").textContent).toContain(fmt(trace.loss));
    fireEvent.click(screen.getByTestId("pg-next-stage"));
    expect(cells("pg-backward-output")[0]).toEqual([
      String(trace.layers[1]?.grad_activation[3]?.[0]),
      String(trace.layers[1]?.grad_pre_activation[3]?.[0]),
    ]);
    for (const n of trace.top_neurons) expect(screen.getByTestId("pg-top-neurons").textContent).toContain(`${n.layer}[${n.unit}]`);
    fireEvent.click(screen.getByTestId("pg-next-stage"));
    expect(cells("pg-update-dense1")[0]).toEqual([...(dense1.update_weight[0] ?? []), dense1.update_bias[0]].map(String));
    expect(screen.getByTestId("pg-stage-update").textContent).toContain(`ΔW = −${fmt(trace.learning_rate)} × dL/dW`);
  });

  it("explains the loss with numbers that add up to the server's: the mean of the per-sample losses", () => {
    const trace = pg.backprop();
    const output = trace.layers[trace.layers.length - 1];
    const losses = trace.targets.map((y, i) => sampleLoss(trace.task, output?.pre_activation[i] ?? [], y));
    expect(losses.reduce((a, b) => a + b, 0) / losses.length).toBeCloseTo(trace.loss, 5);
    // dL/dz at the output is (p - y) / N for binary cross-entropy.
    trace.targets.forEach((y, i) => {
      const p = prediction(trace.task, output?.pre_activation[i] ?? [])[0] ?? 0;
      expect(output?.grad_pre_activation[i]?.[0]).toBeCloseTo((p - y) / trace.targets.length, 6);
    });
  });

  it("cannot step a running run, and shows why the server refuses a net it cannot trace", async () => {
    const { api } = serve(() => ({ status: 409, body: pg.backpropUnsupported() }));
    const running = renderWithApi(<BackpropStepper runId={RUN} status="running" live />, api);
    expect(screen.getByTestId("pg-step-button").matches(":disabled")).toBe(true);
    expect(screen.getByText("Pause the run to step through one batch.")).toBeTruthy();
    running.unmount();
    renderWithApi(<BackpropStepper runId={RUN} status="paused" live />, api);
    fireEvent.click(screen.getByTestId("pg-step-button"));
    await waitFor(() => expect(screen.getByTestId("error-banner").textContent).toContain(pg.backpropUnsupported().error.message));
  });
});

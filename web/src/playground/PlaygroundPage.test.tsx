import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { LiveSnapshot, PlaygroundSnapshot, RunOut } from "../api/types";
import { fakeServer, type Recorded } from "../test/fakeServer";
import { FakeWebSocket } from "../test/fakeWebSocket";
import { fixtures, recordedChange } from "../test/fixtures";
import { renderWithApi } from "../test/render";
import { PlaygroundPage } from "./PlaygroundPage";
import { pg } from "./test/pgFixtures";

/** A POST that changes something (not the builder's shape checks). */
const isCommand = (r: Recorded) => r.method === "POST" && r.path !== "/api/nets/shapes";
const byTestId = (id: string) => screen.getByTestId(id);
const valueOf = (id: string) => (byTestId(id) as HTMLInputElement | HTMLSelectElement).value;

beforeEach(() => {
  FakeWebSocket.reset();
  vi.stubGlobal("WebSocket", FakeWebSocket);
});
afterEach(() => vi.unstubAllGlobals());

function serveRun(snapshot: LiveSnapshot, control?: (body: unknown) => { status?: number; body: unknown }) {
  const id = snapshot.run.id;
  return fakeServer({
    "GET /api/datasets": () => ({ body: fixtures.datasets() }),
    [`GET /api/runs/${id}/snapshot`]: () => ({ body: snapshot }),
    [`GET /api/runs/${id}/data`]: () => ({ body: fixtures.data() }),
    [`POST /api/runs/${id}/control`]: (r) => (control ? control(r.body) : { body: snapshot.run }),
    "POST /api/nets/shapes": () => ({ body: pg.shapes() }),
    [`GET /api/runs/${id}/evaluation`]: () => ({ body: pg.evaluation() }),
  });
}

/** The fixture run as it looked when training had just started. */
function runningSnapshot(): PlaygroundSnapshot {
  const first = fixtures.initialSnapshot();
  return { ...first, run: { ...first.run, status: "running", live: true } };
}

describe("PlaygroundPage controls", () => {
  it("build the RunCreate body from what the learner chose, then open the new run", async () => {
    const created: RunOut = { ...fixtures.snapshot().run, id: "new-run", status: "running", live: true };
    const { api, requests } = fakeServer({
      "GET /api/datasets": () => ({ body: fixtures.datasets() }),
      "POST /api/runs": () => ({ status: 201, body: created }),
    });
    renderWithApi(<PlaygroundPage runId={null} />, api);

    await waitFor(() => expect((byTestId("dataset-select") as HTMLSelectElement).disabled).toBe(false));
    fireEvent.change(byTestId("dataset-select"), { target: { value: "xor" } });
    fireEvent.change(byTestId("noise-input"), { target: { value: "0.2" } });
    fireEvent.click(screen.getByRole("button", { name: "Add Dense layer" }));
    fireEvent.change(screen.getByLabelText("Layer 3 units"), { target: { value: "4" } });
    fireEvent.change(screen.getByLabelText("Layer 3 activation"), { target: { value: "relu" } });
    fireEvent.click(screen.getByRole("button", { name: "Remove layer 1" }));
    fireEvent.change(byTestId("optimizer-select"), { target: { value: "adam" } });
    fireEvent.change(byTestId("lr-input"), { target: { value: "0.1" } });
    fireEvent.change(byTestId("batch-size-input"), { target: { value: "25" } });
    fireEvent.change(byTestId("max-steps-input"), { target: { value: "500" } });
    fireEvent.click(byTestId("train-button"));

    await waitFor(() => expect(window.location.hash).toBe("#/playground/new-run"));
    const post = requests.find((r) => isCommand(r));
    expect(post?.body).toEqual({
      config: {
        spec: {
          layers: [
            { type: "dense", units: 8, activation: "tanh" },
            { type: "dense", units: 4, activation: "relu" },
          ],
        },
        data: { dataset: "xor", n_samples: 500, noise: 0.2, validation_fraction: 0.5, n_classes: 3 },
        hyperparameters: { optimizer: "adam", learning_rate: 0.1, batch_size: 25, momentum: 0.9, weight_decay: 0, l1: 0, dropout: -1 },
        seed: 0,
        max_steps: 500,
      },
      start: true,
    });
  }, 20_000);

  it("show what to fix instead of sending an invalid run", async () => {
    const { api, requests } = fakeServer({ "GET /api/datasets": () => ({ body: fixtures.datasets() }) });
    renderWithApi(<PlaygroundPage runId={null} />, api);
    fireEvent.change(byTestId("lr-input"), { target: { value: "-1" } });
    fireEvent.click(byTestId("train-button"));
    expect((await screen.findByRole("alert")).textContent).toContain("Learning rate: must be between 0 and 10");
    expect(requests.filter((r) => isCommand(r))).toHaveLength(0);
  });

  it("show the server's message when it refuses the run", async () => {
    const message = "8 runs are already live; stop or pause one before starting another";
    const { api } = fakeServer({
      "GET /api/datasets": () => ({ body: fixtures.datasets() }),
      "POST /api/runs": () => ({ status: 429, body: { error: { code: "too_many", message } } }),
    });
    renderWithApi(<PlaygroundPage runId={null} />, api);
    fireEvent.click(byTestId("train-button"));
    expect((await screen.findByRole("alert")).textContent).toContain(message);
    expect(window.location.hash).toBe("");
  });
});

describe("PlaygroundPage viewing a finished run", () => {
  it("draws it from the REST snapshot: status, step, losses, markers, panels, no live controls", async () => {
    const snapshot = fixtures.snapshot();
    const { api } = serveRun(snapshot);
    renderWithApi(<PlaygroundPage runId={snapshot.run.id} />, api);

    await waitFor(() => expect(byTestId("run-status").textContent).toBe("completed"));
    expect(byTestId("step-count").textContent).toBe(String(snapshot.run.last_step));
    const valLoss = snapshot.series["val/loss"]?.values.at(-1);
    expect(byTestId("val-loss").textContent).toBe(valLoss?.toFixed(4));
    expect(byTestId("train-loss").textContent).toMatch(/^\d+\.\d{4}$/);

    const markers = within(byTestId("markers-list")).getAllByRole("listitem").map((li) => li.textContent);
    const optimizer = recordedChange("optimizer");
    expect(markers).toContainEqual(expect.stringContaining("lr 0.03→0.1"));
    expect(markers).toContainEqual(expect.stringContaining(`optimizer ${optimizer.old}→${optimizer.new}`));
    expect(markers[markers.length - 1]).toContain("completed");

    expect(byTestId("loss-chart").getAttribute("data-points")).toBe(String(snapshot.series["train/loss"]?.steps.length));
    expect(byTestId("boundary-canvas").getAttribute("aria-label")).toContain(`step ${snapshot.run.last_step}`);
    expect(within(byTestId("gradient-norms")).getByText("dense1.weight")).toBeTruthy();
    expect(within(byTestId("layer-stats")).getByText("act2")).toBeTruthy();

    // Only a new run can be started; the form shows the run's settings as they ended.
    expect(byTestId("train-button").textContent).toBe("Train new run");
    expect(screen.queryByTestId("pause-button")).toBeNull();
    expect(screen.queryByTestId("stop-button")).toBeNull();
    expect(valueOf("lr-input")).toBe("0.1");
    expect(valueOf("optimizer-select")).toBe(optimizer.new);
    expect(valueOf("dataset-select")).toBe(snapshot.run.config.data?.dataset);
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it("says when the run does not exist", async () => {
    const { api } = fakeServer({ "GET /api/datasets": () => ({ body: fixtures.datasets() }) });
    renderWithApi(<PlaygroundPage runId="missing" />, api);
    expect((await screen.findByRole("alert")).textContent).toContain("no fake route");
  });
});

describe("PlaygroundPage sharing a run", () => {
  it("makes a share link and copies it", async () => {
    const snapshot = fixtures.snapshot();
    const id = snapshot.run.id;
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    const { api, requests } = fakeServer({
      "GET /api/datasets": () => ({ body: fixtures.datasets() }),
      [`GET /api/runs/${id}/snapshot`]: () => ({ body: snapshot }),
      [`GET /api/runs/${id}/data`]: () => ({ body: fixtures.data() }),
      [`POST /api/runs/${id}/share`]: () => ({ status: 201, body: { token: "tok", url: "/#/shared/tok" } }),
    });
    renderWithApi(<PlaygroundPage runId={id} />, api);

    fireEvent.click(await screen.findByTestId("share-button"));
    const link = (await screen.findByTestId("share-link")) as HTMLInputElement;
    expect(link.value).toBe(`${window.location.origin}/#/shared/tok`);
    expect(link.readOnly).toBe(true);
    expect(screen.getByLabelText("Read-only link")).toBe(link);
    fireEvent.click(screen.getByRole("button", { name: "Copy" }));
    await screen.findByRole("button", { name: "Copied" });
    expect(writeText).toHaveBeenCalledWith(link.value);
    expect(requests.filter((r) => isCommand(r)).map((r) => r.path)).toEqual([`/api/runs/${id}/share`]);
  });

  it("offers no Share button before a run is loaded", async () => {
    const { api } = fakeServer({ "GET /api/datasets": () => ({ body: fixtures.datasets() }) });
    renderWithApi(<PlaygroundPage runId={null} />, api);
    await waitFor(() => expect((byTestId("dataset-select") as HTMLSelectElement).disabled).toBe(false));
    expect(screen.queryByTestId("share-button")).toBeNull();
  });
});

describe("PlaygroundPage following a live run", () => {
  it("streams the WebSocket into the views, steers, and closes the socket on unmount", async () => {
    const snapshot = runningSnapshot();
    const { api } = serveRun(snapshot);
    const view = renderWithApi(<PlaygroundPage runId={snapshot.run.id} />, api);

    await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1));
    const ws = FakeWebSocket.latest;
    expect(ws.url).toBe(`ws://localhost:3000/ws/runs/${snapshot.run.id}`);
    expect(byTestId("run-status").textContent).toBe("running");

    // Replay what the server sent; the page catches up within a frame.
    act(() => {
      ws.open();
      for (const message of fixtures.messages()) ws.receive(message);
    });
    const finalStep = String(fixtures.snapshot().run.last_step);
    await waitFor(() => expect(byTestId("step-count").textContent).toBe(finalStep));
    expect(byTestId("run-status").textContent).toBe("completed");
    expect(within(byTestId("markers-list")).getByText(/lr 0\.03→0\.1/)).toBeTruthy();
    expect(screen.queryByTestId("pause-button")).toBeNull();

    view.unmount();
    expect(ws.closedWith?.code).toBe(1000);
  });

  it("pauses, then resumes", async () => {
    const snapshot = runningSnapshot();
    const { api, requests } = serveRun(snapshot, (body) => {
      const action = (body as { action: string }).action;
      return { body: { ...snapshot.run, status: action === "pause" ? "paused" : "running" } };
    });
    renderWithApi(<PlaygroundPage runId={snapshot.run.id} />, api);

    fireEvent.click(await screen.findByTestId("pause-button"));
    fireEvent.click(await screen.findByTestId("resume-button"));
    await screen.findByTestId("pause-button");
    expect(requests.filter((r) => isCommand(r)).map((r) => r.body)).toEqual([{ action: "pause" }, { action: "resume" }]);
    expect(screen.getByTestId("stop-button")).toBeTruthy();
  });

  it("sends a changed learning rate with action 'set' after a pause in typing", async () => {
    const snapshot = runningSnapshot();
    const { api, requests } = serveRun(snapshot);
    renderWithApi(<PlaygroundPage runId={snapshot.run.id} />, api);
    await screen.findByTestId("pause-button");
    expect(valueOf("lr-input")).toBe(String(snapshot.run.config.hyperparameters?.learning_rate));

    fireEvent.change(byTestId("lr-input"), { target: { value: "0.2" } });
    fireEvent.change(byTestId("lr-input"), { target: { value: "0.25" } });
    await waitFor(() => expect(requests.some((r) => isCommand(r))).toBe(true));
    expect(requests.filter((r) => isCommand(r)).map((r) => r.body)).toEqual([
      { action: "set", hyperparameters: { learning_rate: 0.25 } },
    ]);
    // Data and network cannot change under a live run.
    expect(byTestId("dataset-select").matches(":disabled")).toBe(true);
    expect(screen.getByRole("button", { name: "Add Dense layer" }).matches(":disabled")).toBe(true);
    expect(byTestId("optimizer-select").matches(":disabled")).toBe(false);
  });

  it("shows the server's message when a command is refused", async () => {
    const snapshot = runningSnapshot();
    const conflict = fixtures.conflict();
    const { api } = serveRun(snapshot, () => ({ status: 409, body: conflict }));
    renderWithApi(<PlaygroundPage runId={snapshot.run.id} />, api);
    fireEvent.click(await screen.findByTestId("stop-button"));
    // (Other panels may show their own alerts: find the command's.)
    const alert = (await screen.findByText(conflict.error.message)).closest("[role=alert]") as HTMLElement;
    fireEvent.click(within(alert).getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByText(conflict.error.message)).toBeNull();
  });
});

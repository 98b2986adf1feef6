import { act, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { TrialSummary } from "../api/types";
import { fakeServer } from "../test/fakeServer";
import { FakeWebSocket } from "../test/fakeWebSocket";
import { renderWithApi } from "../test/render";
import { StudyPage } from "./StudyPage";
import { searchFixtures } from "./testFixtures";

const NAME = "digits-fixture";
const base = `/api/studies/${NAME}`;

function server() {
  return fakeServer({
    [`GET ${base}`]: () => ({ body: searchFixtures.study() }),
    [`GET ${base}/trials`]: (r) => ({ body: r.search.includes("order=best") ? searchFixtures.top() : searchFixtures.trials() }),
    [`GET ${base}/importance`]: () => ({ body: searchFixtures.importance() }),
    [`GET ${base}/compare`]: () => ({ body: searchFixtures.compare() }),
    [`GET ${base}/trials/0/files`]: () => ({ body: searchFixtures.files() }),
    [`GET ${base}/trials/0/layout`]: () => ({ body: searchFixtures.layout() }),
    "GET /api/search/defaults": () => ({ body: searchFixtures.defaults() }),
    [`POST ${base}/cancel`]: () => ({ body: searchFixtures.study() }),
  });
}

afterEach(() => FakeWebSocket.reset());

describe("StudyPage", () => {
  it("shows the gallery with the best highlighted, stats, importance and the comparison", async () => {
    const { api } = server();
    renderWithApi(<StudyPage name={NAME} WebSocketImpl={FakeWebSocket as unknown as typeof WebSocket} />, api);
    const cards = await screen.findAllByTestId("trial-card");
    const trials = searchFixtures.trials().items;
    expect(cards).toHaveLength(trials.length);
    const study = searchFixtures.study().study;
    const best = cards.find((c) => within(c).queryByText("Best"));
    expect(best?.textContent).toContain(`Trial ${study.best_trial}`);
    expect(within(best as HTMLElement).getByRole("img").getAttribute("aria-label")).toMatch(/^Architecture: input, conv2d 16/);
    expect(screen.getByTestId("study-stats").textContent).toContain(`${study.finished}/8 finished`);
    expect((await screen.findByTestId("importance")).textContent).toContain("learning_rate");
    const slice = await screen.findByTestId("slice-plot");
    expect(slice.getAttribute("aria-label")).toBe(`health against learning_rate for ${searchFixtures.top().items.length} trials`);
    expect(slice.querySelectorAll("circle")).toHaveLength(searchFixtures.top().items.length);
    expect(screen.getByTestId("parallel-coords").querySelectorAll("polyline")).toHaveLength(searchFixtures.top().items.length);
    const compare = await screen.findByTestId("compare");
    const { accuracy_best: acc, health_best: health } = searchFixtures.compare();
    expect(compare.textContent).toContain(`Trial ${acc?.number} is the most accurate; trial ${health?.number} trained the healthiest net`);
    expect(within(compare).getByText(`${((acc?.metrics?.val_accuracy ?? 0) * 100).toFixed(1)}%`)).toBeTruthy();
    expect(screen.getByText("This browser has no WebGL, which the 3-D view needs.")).toBeTruthy();
    expect((await screen.findByTestId("downloads")).textContent).toContain(searchFixtures.files().items[0]?.filename as string);
    expect(FakeWebSocket.latest.url).toBe(`ws://localhost:3000/ws/studies/${NAME}`);
  });

  it("adds started trials, grows curves and announces a new best from the WebSocket", async () => {
    const { api } = server();
    renderWithApi(<StudyPage name={NAME} WebSocketImpl={FakeWebSocket as unknown as typeof WebSocket} />, api);
    await screen.findAllByTestId("trial-card");
    const ws = FakeWebSocket.latest;
    act(() => {
      ws.open();
      ws.receive(searchFixtures.live());
    });
    expect(screen.getByTestId("stream-state").textContent).toBe("live");
    const template = searchFixtures.trials().items[0] as TrialSummary;
    const fresh: TrialSummary = { ...template, number: 7, state: "running", values: null, metrics: null, curve: [] };
    act(() => ws.receive({ events: [{ type: "trial_started", trial: fresh }] }));
    const card = () => screen.getAllByTestId("trial-card")[0] as HTMLElement;
    expect(card().textContent).toContain("Trial 7");
    expect(card().textContent).toContain("starting…");
    act(() => ws.receive({ events: [{ type: "curve", number: 7, points: [{ epoch: 1, train_loss: 1, val_accuracy: 0.5, health: null }] }] }));
    expect(card().textContent).toContain("epoch 1: 50.0%");
    const done = { ...fresh, state: "complete" as const, values: [97.5] };
    act(() => ws.receive({ events: [{ type: "trial_finished", trial: done }, { type: "new_best", trial: done }] }));
    expect(screen.getByTestId("new-best").textContent).toBe("New best: trial 7");
    expect(card().textContent).toContain("97.5");
  });

  it("says so when the study does not exist and stops reconnecting", async () => {
    const { api } = fakeServer({ [`GET ${base}`]: () => ({ status: 404, body: { error: { code: "not_found", message: `no study named '${NAME}'` } } }) });
    renderWithApi(<StudyPage name={NAME} WebSocketImpl={FakeWebSocket as unknown as typeof WebSocket} />, api);
    expect((await screen.findByRole("alert")).textContent).toContain(`no study named '${NAME}'`);
    act(() => FakeWebSocket.latest.drop(4404, "no study"));
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(screen.getByRole("link", { name: "Back to all studies" })).toBeTruthy();
  });

  it("cancels the study", async () => {
    const { api, requests } = server();
    renderWithApi(<StudyPage name={NAME} WebSocketImpl={FakeWebSocket as unknown as typeof WebSocket} />, api);
    fireEvent.click(await screen.findByRole("button", { name: "Cancel study" }));
    await screen.findAllByTestId("trial-card");
    expect(requests.some((r) => r.method === "POST" && r.path === `${base}/cancel`)).toBe(true);
  });
});

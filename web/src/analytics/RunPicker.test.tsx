import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { fakeServer } from "../test/fakeServer";
import { renderWithApi } from "../test/render";
import { RunPicker } from "./RunPicker";
import { an } from "./test/fixtures";

afterEach(() => {
  window.location.hash = "";
});

describe("RunPicker", () => {
  it("lists recent runs and registers the picked run's model", async () => {
    const runs = an.runs();
    const first = runs.items[0];
    const { api, requests } = fakeServer({
      "GET /api/runs": () => ({ body: runs }),
      [`POST /api/models/from-run/${first?.id}`]: () => ({ status: 201, body: an.fromRun() }),
    });
    const picked: string[] = [];
    renderWithApi(<RunPicker onPicked={(m) => picked.push(m.id)} />, api);
    expect(screen.getByText("Loading runs…")).toBeTruthy();
    fireEvent.click(await screen.findByRole("button", { name: `Analyze the model of run ${first?.name} (${first?.id.slice(0, 8)})` }));
    await waitFor(() => expect(picked).toEqual([an.fromRun().id]));
    expect(requests.filter((r) => r.method === "POST").map((r) => r.path)).toEqual([`/api/models/from-run/${first?.id}`]);
  });

  it("says why a run has no model, and offers no button for watched runs", async () => {
    const runs = an.runs();
    const first = runs.items[0];
    const watched = { ...(first as NonNullable<typeof first>), id: "w1", name: "my script", kind: "watch" };
    const { api } = fakeServer({
      "GET /api/runs": () => ({ body: { ...runs, items: [watched, ...runs.items] } }),
      [`POST /api/models/from-run/${first?.id}`]: () => ({ status: 404, body: an.fromRunMissing() }),
    });
    renderWithApi(<RunPicker onPicked={() => undefined} />, api);
    expect(await screen.findByText("statistics only, no weights")).toBeTruthy();
    expect(screen.queryByRole("button", { name: /Analyze the model of run my script/ })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: `Analyze the model of run ${first?.name} (${first?.id.slice(0, 8)})` }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/no run/i);
  });

  it("offers an ended run's stored model, and says when an ended run kept none", async () => {
    const runs = an.runs();
    const first = runs.items[0] as NonNullable<(typeof runs.items)[number]>;
    const kept = { ...first, id: "kept-run", name: "kept", status: "completed" as const, live: false, model_available: true };
    const lost = { ...first, id: "lost-run", name: "lost", status: "failed" as const, live: false, model_available: false };
    const { api, requests } = fakeServer({
      "GET /api/runs": () => ({ body: { ...runs, items: [kept, lost] } }),
      "POST /api/models/from-run/kept-run": () => ({ status: 201, body: an.fromRun() }),
    });
    const picked: string[] = [];
    renderWithApi(<RunPicker onPicked={(m) => picked.push(m.id)} />, api);
    expect(await screen.findByText("ended without a stored model")).toBeTruthy();
    expect(screen.queryByRole("button", { name: /Analyze the model of run lost/ })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Analyze the model of run kept (kept-run)" }));
    await waitFor(() => expect(picked).toEqual([an.fromRun().id]));
    expect(requests.filter((r) => r.method === "POST").map((r) => r.path)).toEqual(["/api/models/from-run/kept-run"]);
  });

  it("shows an empty state with a way to the Playground, and a listing error", async () => {
    const empty = fakeServer({ "GET /api/runs": () => ({ body: { items: [], total: 0, limit: 20, offset: 0 } }) });
    renderWithApi(<RunPicker onPicked={() => undefined} />, empty.api);
    expect((await screen.findByTestId("an-runs-empty")).textContent).toMatch(/Train a network in the Playground/);
    const broken = fakeServer({ "GET /api/runs": () => ({ status: 503, body: { error: { code: "unavailable", message: "the database is not answering" } } }) });
    renderWithApi(<RunPicker onPicked={() => undefined} />, broken.api);
    expect((await screen.findByRole("alert")).textContent).toMatch(/runs could not be listed: .*database/);
  });
});

import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { fakeServer } from "../test/fakeServer";
import { fixtures } from "../test/fixtures";
import { renderWithApi } from "../test/render";
import { NOT_FOUND_MESSAGE, SharedRunPage } from "./SharedRunPage";

const TOKEN = "s3cr3t-token";
const PATH = `GET /api/shared/${TOKEN}`;

afterEach(() => {
  window.location.hash = "";
});

describe("SharedRunPage", () => {
  it("shows the replay: name, status, read-only badge, frames and markers", async () => {
    const replay = fixtures.shared();
    const { api, requests } = fakeServer({ [PATH]: () => ({ body: replay }) });
    renderWithApi(<SharedRunPage token={TOKEN} />, api);

    const page = await screen.findByTestId("shared-run");
    expect(within(page).getByRole("heading", { name: replay.name })).toBeTruthy();
    expect(screen.getByTestId("run-status").textContent).toBe(replay.status);
    expect(screen.getByTestId("read-only-badge").textContent).toMatch(/read-only replay/);

    const frames = replay.frames.filter((e) => e.kind === "boundary");
    expect(frames.length).toBeGreaterThan(1);
    const slider = screen.getByLabelText("Frame");
    expect(slider).toBe(screen.getByTestId("frame-slider"));
    expect(slider.getAttribute("type")).toBe("range");
    expect(slider.getAttribute("min")).toBe("0");
    expect(slider.getAttribute("max")).toBe(String(frames.length - 1));
    // The last frame by default, then any other one.
    const last = frames[frames.length - 1]!;
    expect((slider as HTMLInputElement).value).toBe(String(frames.length - 1));
    expect(screen.getByTestId("frame-step").textContent).toBe(`step ${last.step}`);
    expect(screen.getByTestId("boundary-canvas").getAttribute("data-step")).toBe(String(last.step));
    fireEvent.change(slider, { target: { value: "0" } });
    expect(screen.getByTestId("frame-step").textContent).toBe(`step ${frames[0]!.step}`);
    expect(screen.getByTestId("boundary-canvas").getAttribute("data-step")).toBe(String(frames[0]!.step));

    const markers = replay.markers.filter((e) => e.kind === "status" || e.kind === "hyperparameters" || e.kind === "finding");
    expect(markers.some((m) => m.kind === "hyperparameters")).toBe(true);
    const items = within(screen.getByTestId("markers-list")).getAllByRole("listitem");
    expect(items.map((li) => li.getAttribute("data-kind"))).toEqual(markers.map((m) => m.kind));
    expect(screen.getByTestId("loss-chart").getAttribute("data-points")).not.toBe("0");
    expect(requests[0]?.path).toBe(`/api/shared/${TOKEN}`);
  });

  it("says the link does not exist for a 404", async () => {
    const { api } = fakeServer({
      [PATH]: () => ({ status: 404, body: { error: { code: "not_found", message: "no shared run at this link" } } }),
    });
    renderWithApi(<SharedRunPage token={TOKEN} />, api);
    const notFound = await screen.findByTestId("shared-not-found");
    expect(notFound.textContent).toContain(NOT_FOUND_MESSAGE);
    expect(screen.queryByTestId("shared-run")).toBeNull();
  });

  it("shows other errors with the server's message", async () => {
    const { api } = fakeServer({
      [PATH]: () => ({ status: 500, body: { error: { code: "internal", message: "the database is locked" } } }),
    });
    renderWithApi(<SharedRunPage token={TOKEN} />, api);
    expect((await screen.findByRole("alert")).textContent).toContain("the database is locked");
  });

  it("forks into a new Playground run", async () => {
    const run = fixtures.run();
    const { api, requests } = fakeServer({
      [PATH]: () => ({ body: fixtures.shared() }),
      [`POST /api/shared/${TOKEN}/fork`]: () => ({ status: 201, body: { ...run, id: "forked-1", status: "created" } }),
    });
    renderWithApi(<SharedRunPage token={TOKEN} />, api);
    fireEvent.click(await screen.findByTestId("fork-button"));
    await waitFor(() => expect(window.location.hash).toBe("#/playground/forked-1"));
    expect(requests.some((r) => r.method === "POST" && r.path === `/api/shared/${TOKEN}/fork`)).toBe(true);
  });

  it("shows why a fork was refused", async () => {
    const { api } = fakeServer({
      [PATH]: () => ({ body: fixtures.shared() }),
      [`POST /api/shared/${TOKEN}/fork`]: () => ({
        status: 401,
        body: { error: { code: "unauthorized", message: "this server needs a token" } },
      }),
    });
    renderWithApi(<SharedRunPage token={TOKEN} />, api);
    fireEvent.click(await screen.findByTestId("fork-button"));
    expect((await screen.findByRole("alert")).textContent).toContain("this server needs a token");
    expect(window.location.hash).toBe("");
  });

  it("says the link no longer works when it was revoked while the page was open", async () => {
    const { api } = fakeServer({
      [PATH]: () => ({ body: fixtures.shared() }),
      [`POST /api/shared/${TOKEN}/fork`]: () => ({
        status: 404,
        body: { error: { code: "not_found", message: "no shared run at this link" } },
      }),
    });
    renderWithApi(<SharedRunPage token={TOKEN} />, api);
    fireEvent.click(await screen.findByTestId("fork-button"));
    const gone = await screen.findByTestId("shared-not-found");
    expect(gone.textContent).toContain("This share link no longer works");
    expect(gone.textContent).toContain("revoked");
    expect(screen.queryByTestId("shared-run")).toBeNull();
    expect(window.location.hash).toBe("");
  });
});

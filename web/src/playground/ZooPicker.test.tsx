import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { ErrorResponse, ModelOut, RunOut, ZooList } from "../api/types";
import { fakeServer } from "../test/fakeServer";
import { renderWithApi } from "../test/render";
import { ZooPicker } from "./ZooPicker";

// REAL API responses written by scripts/web_fixtures.py (``make web-fixtures``).
const files = import.meta.glob<unknown>("../test/fixtures/zoo_*.json", { eager: true, import: "default" });
function fixture<T>(name: string): T {
  const body = files[`../test/fixtures/zoo_${name}.json`];
  if (body === undefined) throw new Error(`test fixture zoo_${name}.json is missing: run 'make web-fixtures'`);
  return structuredClone(body) as T;
}

afterEach(() => {
  window.location.hash = "";
});

describe("ZooPicker", () => {
  it("lists every installed model with its validation accuracy", async () => {
    const list = fixture<ZooList>("list");
    const { api } = fakeServer({ "GET /api/zoo": () => ({ body: list }) });
    renderWithApi(<ZooPicker />, api);
    expect(screen.getByText("Loading the model zoo…")).toBeTruthy();
    const items = await screen.findAllByRole("listitem");
    expect(items.map((li) => li.getAttribute("data-testid"))).toEqual(list.items.map((m) => `pg-zoo-${m.name}`));
    const spirals = list.items[0];
    if (!spirals) throw new Error("the fixture lists no model");
    const accuracy = ((spirals.metrics["val/accuracy"] ?? NaN) * 100).toFixed(1);
    expect(within(items[0] as HTMLElement).getByText(`${accuracy}%`, { exact: false })).toBeTruthy();
    expect(screen.queryByText("Loading the model zoo…")).toBeNull();
  });

  it("fine-tune starts a run from the zoo model and opens it", async () => {
    const run = fixture<RunOut>("run");
    const { api, requests } = fakeServer({
      "GET /api/zoo": () => ({ body: fixture<ZooList>("list") }),
      "POST /api/zoo/blobs/runs": () => ({ status: 201, body: run }),
    });
    renderWithApi(<ZooPicker />, api);
    fireEvent.click(await screen.findByRole("button", { name: /Fine-tune Four blobs/ }));
    await waitFor(() => expect(window.location.hash).toBe(`#/playground/${run.id}`));
    const post = requests.find((r) => r.method === "POST");
    expect(post?.path).toBe("/api/zoo/blobs/runs");
    expect(post?.body).toEqual({ start: true });
  });

  it("inspect registers the model with Analytics and opens it there", async () => {
    const model = fixture<ModelOut>("model");
    const { api, requests } = fakeServer({
      "GET /api/zoo": () => ({ body: fixture<ZooList>("list") }),
      "POST /api/zoo/blobs/analyze": () => ({ status: 201, body: model }),
    });
    renderWithApi(<ZooPicker />, api);
    fireEvent.click(await screen.findByTestId("pg-zoo-inspect-blobs"));
    await waitFor(() => expect(window.location.hash).toBe(`#/analytics/${model.id}`));
    expect(requests.map((r) => `${r.method} ${r.path}`)).toContain("POST /api/zoo/blobs/analyze");
  });

  it("says the command when the zoo is not installed, and checks again on request", async () => {
    let answer = fixture<ZooList>("empty");
    const { api, requests } = fakeServer({ "GET /api/zoo": () => ({ body: answer }) });
    renderWithApi(<ZooPicker />, api);
    const empty = await screen.findByTestId("pg-zoo-empty");
    expect(empty.textContent).toContain("neuralscope zoo train");
    expect(screen.queryByRole("listitem")).toBeNull();
    answer = fixture<ZooList>("list");
    fireEvent.click(within(empty).getByRole("button", { name: "Check again" }));
    expect(await screen.findByTestId("pg-zoo-spirals")).toBeTruthy();
    expect(requests.filter((r) => r.path === "/api/zoo")).toHaveLength(2);
  });

  it("shows the server's message when fine-tuning is refused and stays put", async () => {
    const refused = fixture<ErrorResponse>("not_installed");
    const { api } = fakeServer({
      "GET /api/zoo": () => ({ body: fixture<ZooList>("list") }),
      "POST /api/zoo/spirals/runs": () => ({ status: 409, body: refused }),
    });
    renderWithApi(<ZooPicker />, api);
    fireEvent.click(await screen.findByTestId("pg-zoo-finetune-spirals"));
    expect((await screen.findByRole("alert")).textContent).toContain("neuralscope zoo train");
    expect(window.location.hash).toBe("");
    expect((screen.getByTestId("pg-zoo-finetune-spirals") as HTMLButtonElement).disabled).toBe(false);
  });

  it("offers to try again when the list cannot be loaded", async () => {
    const { api } = fakeServer({
      "GET /api/zoo": () => ({ status: 500, body: { error: { code: "internal", message: "database is locked" } } }),
    });
    renderWithApi(<ZooPicker />, api);
    expect((await screen.findByRole("status")).textContent).toContain("could not be loaded: database is locked");
    expect(screen.queryByRole("alert")).toBeNull(); // the page's own errors stay the only alerts
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
  });
});

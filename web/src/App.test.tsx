import { act, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { App } from "./App";
import { fakeServer } from "./test/fakeServer";
import { fixtures } from "./test/fixtures";
import { renderWithApi } from "./test/render";

describe("App shell", () => {
  it("navigates between Playground and Runs by hash, marking the current page", async () => {
    const { api } = fakeServer({
      "GET /api/datasets": () => ({ body: fixtures.datasets() }),
      "GET /api/runs": () => ({ body: fixtures.runs() }),
    });
    renderWithApi(<App />, api);
    const nav = within(screen.getByRole("navigation", { name: "Main" }));
    expect(nav.getByRole("link", { name: "Playground" }).getAttribute("aria-current")).toBe("page");
    expect(screen.getByTestId("train-button")).toBeTruthy();

    act(() => {
      window.location.hash = "#/runs";
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    });
    expect(nav.getByRole("link", { name: "Runs" }).getAttribute("aria-current")).toBe("page");
    expect(nav.getByRole("link", { name: "Playground" }).getAttribute("aria-current")).toBeNull();
    expect(await screen.findAllByTestId("run-row")).toHaveLength(fixtures.runs().items.length);
    expect(screen.queryByTestId("train-button")).toBeNull();
  });

  it("says when a page does not exist", () => {
    window.location.hash = "#/elsewhere";
    const { api } = fakeServer({});
    renderWithApi(<App />, api);
    expect(screen.getByRole("heading", { name: "Nothing at /elsewhere" })).toBeTruthy();
  });
});

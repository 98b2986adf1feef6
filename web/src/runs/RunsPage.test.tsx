import { fireEvent, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeServer } from "../test/fakeServer";
import { fixtures } from "../test/fixtures";
import { renderWithApi } from "../test/render";
import { PAGE_SIZE, RunsPage } from "./RunsPage";

describe("RunsPage", () => {
  it("lists the server's runs with name, status, steps, validation numbers and a link", async () => {
    const page = fixtures.runs();
    const { api, requests } = fakeServer({ "GET /api/runs": () => ({ body: page }) });
    renderWithApi(<RunsPage />, api);

    const rows = await screen.findAllByTestId("run-row");
    expect(rows).toHaveLength(page.items.length);
    page.items.forEach((run, i) => {
      const row = within(rows[i] as HTMLElement);
      const link = row.getByRole("link", { name: run.name });
      expect(link.getAttribute("href")).toBe(`#/playground/${run.id}`);
      expect(row.getByText(run.status)).toBeTruthy();
      expect(row.getByText(String(run.last_step))).toBeTruthy();
      const valLoss = run.summary["val/loss"];
      if (valLoss !== undefined) expect(row.getByText(valLoss.toFixed(4))).toBeTruthy();
    });
    expect(screen.getByText(`1–${page.items.length} of ${page.total}`)).toBeTruthy();
    expect(requests[0]?.search).toBe(`?limit=${PAGE_SIZE}&offset=0`);
  });

  it("asks for the next page", async () => {
    const page = { ...fixtures.runs(), total: 45 };
    const { api, requests } = fakeServer({ "GET /api/runs": () => ({ body: page }) });
    renderWithApi(<RunsPage />, api);
    fireEvent.click(await screen.findByRole("button", { name: "Next" }));
    await screen.findAllByTestId("run-row");
    expect(requests.map((r) => r.search)).toContain(`?limit=${PAGE_SIZE}&offset=${PAGE_SIZE}`);
  });

  it("shows an empty state when there are no runs", async () => {
    const { api } = fakeServer({ "GET /api/runs": () => ({ body: { items: [], total: 0, limit: PAGE_SIZE, offset: 0 } }) });
    renderWithApi(<RunsPage />, api);
    const empty = await screen.findByTestId("runs-empty");
    expect(empty.textContent).toMatch(/No runs yet/);
    expect(within(empty).getByRole("link", { name: /Train one in the Playground/ }).getAttribute("href")).toBe("#/playground");
    expect(screen.queryByTestId("runs-table")).toBeNull();
  });

  it("shows the server's error message", async () => {
    const { api } = fakeServer({
      "GET /api/runs": () => ({ status: 401, body: { error: { code: "unauthorized", message: "this server needs a token" } } }),
    });
    renderWithApi(<RunsPage />, api);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("this server needs a token");
    expect(alert.textContent).toContain("?token=");
  });
});

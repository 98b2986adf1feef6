import { fireEvent, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeServer } from "../test/fakeServer";
import { renderWithApi } from "../test/render";
import { SearchPage } from "./SearchPage";
import { searchFixtures } from "./testFixtures";

describe("SearchPage", () => {
  it("lists studies with state, progress and best value", async () => {
    const list = searchFixtures.studies();
    const { api } = fakeServer({ "GET /api/studies": () => ({ body: list }) });
    renderWithApi(<SearchPage />, api);
    const [row] = await screen.findAllByTestId("study-row");
    const s = list.items[0]?.study;
    expect(s).toBeDefined();
    const r = within(row as HTMLElement);
    expect(r.getByRole("link", { name: "digits-fixture" }).getAttribute("href")).toBe("#/search/digits-fixture");
    expect(r.getByText(s?.state as string)).toBeTruthy();
    expect(row?.textContent).toContain(`${s?.finished}/8 trials · 1 running · 1 pruned`);
    expect(row?.textContent).toContain(`Best: ${s?.best_values?.[0]} (trial ${s?.best_trial})`);
    expect(r.getByRole("progressbar").getAttribute("aria-valuenow")).toBe(String(s?.finished));
  });

  it("shows an empty state and the server's error", async () => {
    const { api } = fakeServer({ "GET /api/studies": () => ({ body: { items: [] } }) });
    renderWithApi(<SearchPage />, api);
    expect((await screen.findByTestId("studies-empty")).textContent).toContain("neuralscope search --dataset");

    const down = fakeServer({ "GET /api/studies": () => ({ status: 503, body: { error: { code: "unavailable", message: "the database is not answering" } } }) });
    renderWithApi(<SearchPage />, down.api);
    expect((await screen.findByRole("alert")).textContent).toContain("the database is not answering");
  });

  it("explains every hyperparameter, validates the space and posts the study", async () => {
    const defaults = searchFixtures.defaults();
    const { api, requests } = fakeServer({
      "GET /api/studies": () => ({ body: { items: [] } }),
      "GET /api/search/defaults": () => ({ body: defaults }),
      "POST /api/studies": () => ({ status: 409, body: searchFixtures.conflict() }),
    });
    renderWithApi(<SearchPage />, api);
    fireEvent.click(await screen.findByRole("button", { name: "New study" }));
    const explained = await screen.findByTestId("space-explained");
    const lr = defaults.spaces.cnn?.params.learning_rate;
    expect(explained.textContent).toContain(lr?.help as string);
    expect(explained.textContent).toContain("0.0001 … 0.1 (log scale)");
    expect(screen.getByText(/Share of live neurons/)).toBeTruthy(); // health weights explained

    const space = screen.getByLabelText(/Edit ranges and choices/);
    fireEvent.change(space, { target: { value: "family: cnn\nparams:\n  filters: {type: int, low: 9, high: 3}\n" } });
    expect(screen.getByTestId("space-errors").textContent).toBe("params.filters: low (9) must not exceed high (3)");
    expect((screen.getByRole("button", { name: "Start study" }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(space, { target: { value: "family: cnn\nparams:\n  filters: {type: int, low: 8, high: 32, log: true}\n" } });
    fireEvent.change(screen.getByLabelText("Study name"), { target: { value: "digits-fixture" } });
    fireEvent.change(screen.getByLabelText("Trials"), { target: { value: "5" } });
    fireEvent.change(screen.getByLabelText("Sampler seed (optional)"), { target: { value: "7" } });
    fireEvent.click(screen.getByRole("button", { name: "Start study" }));
    expect((await screen.findByRole("alert")).textContent).toContain("a study named 'digits-fixture' already exists");
    const post = requests.find((r) => r.method === "POST");
    expect(post?.body).toMatchObject({
      workers: 1,
      sampler_seed: 7,
      config: { name: "digits-fixture", dataset: "digits", n_trials: 5, space: { family: "cnn", params: { filters: { type: "int", low: 8, high: 32, log: true } } } },
    });
  });
});

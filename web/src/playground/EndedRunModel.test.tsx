/** A finished run's page: export and metrics follow whether the server kept its final model. */

import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { PlaygroundSnapshot } from "../api/types";
import { fakeServer } from "../test/fakeServer";
import { fixtures } from "../test/fixtures";
import { renderWithApi } from "../test/render";
import { EXPORTS } from "./ExportButtons";
import { PlaygroundPage } from "./PlaygroundPage";
import { safetensorsFile } from "./network/testFixtures";
import { pg } from "./test/pgFixtures";

function showEnded(modelAvailable: boolean) {
  const base = fixtures.snapshot();
  const snapshot: PlaygroundSnapshot = { ...base, run: { ...base.run, status: "completed", live: false, model_available: modelAvailable } };
  const id = snapshot.run.id;
  const server = fakeServer({
    "GET /api/datasets": () => ({ body: fixtures.datasets() }),
    [`GET /api/runs/${id}/snapshot`]: () => ({ body: snapshot }),
    [`GET /api/runs/${id}/data`]: () => ({ body: fixtures.data() }),
    [`GET /api/runs/${id}/evaluation`]: () => ({ body: { ...pg.evaluation(), run_id: id } }),
    "POST /api/nets/shapes": () => ({ body: pg.shapes() }),
    [`GET /api/runs/${id}/export/safetensors`]: () => ({ body: weights() }),
  });
  renderWithApi(<PlaygroundPage runId={id} />, server.api);
  return { id, requests: server.requests };
}

/** The stored model's weights, for the network view (shaped after the snapshot's config). */
function weights(): ArrayBuffer {
  const layers = fixtures.snapshot().run.config.spec.layers as { units?: number }[];
  const sizes = [2, ...layers.map((l) => l.units ?? 0).filter((u) => u > 0), 1];
  const tensors: [string, number[], number[]][] = [];
  sizes.slice(1).forEach((out, i) => {
    const inp = sizes[i] ?? 0;
    tensors.push([`${2 * i}.weight`, [out, inp], Array.from({ length: out * inp }, (_, k) => (k % 7) / 10 - 0.3)]);
    tensors.push([`${2 * i}.bias`, [out], Array.from({ length: out }, () => 0.1)]);
  });
  return safetensorsFile(tensors);
}

const exportButtons = () => EXPORTS.map(({ fmt }) => screen.getByTestId(`pg-export-${fmt}`) as HTMLButtonElement);

describe("PlaygroundPage: the model of an ended run", () => {
  it("is exported and evaluated from the stored final model", async () => {
    const { id, requests } = showEnded(true);
    await waitFor(() => expect(screen.getByTestId("run-status").textContent).toBe("completed"));
    expect(exportButtons().every((b) => !b.disabled)).toBe(true);
    expect(screen.getByTestId("pg-export-note").textContent).toContain("final model was kept");
    await screen.findByTestId("pg-metric-cards");
    expect(requests.some((r) => r.path === `/api/runs/${id}/evaluation`)).toBe(true);
    expect(screen.queryByTestId("pg-metrics-none")).toBeNull();
    await screen.findByTestId("pg-network-view"); // the network is drawn from the stored weights
    expect(requests.some((r) => r.path === `/api/runs/${id}/export/safetensors`)).toBe(true);
  });

  it("is not offered, with the reason, when the server kept none", async () => {
    const { id, requests } = showEnded(false);
    await waitFor(() => expect(screen.getByTestId("run-status").textContent).toBe("completed"));
    expect(exportButtons().every((b) => b.disabled)).toBe(true);
    expect(screen.getByTestId("pg-export-note").textContent).toContain("without a stored model");
    expect(screen.getByTestId("pg-metrics-none").textContent).toContain("without a stored model");
    expect(screen.getByTestId("pg-metrics-csv")).toBeTruthy(); // the recorded series still download
    expect(screen.getByTestId("pg-network-none").textContent).toContain("without a stored model");
    expect(requests.some((r) => r.path === `/api/runs/${id}/evaluation`)).toBe(false);
  });
});

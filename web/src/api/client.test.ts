import { describe, expect, it } from "vitest";
import { fakeServer } from "../test/fakeServer";
import { fixtures } from "../test/fixtures";
import { ApiError, call, createApi } from "./client";

describe("REST client", () => {
  it("returns the data of a successful call and sends the bearer token", async () => {
    const { api, requests } = fakeServer({ "GET /api/datasets": () => ({ body: fixtures.datasets() }) }, "s3cret");
    const datasets = await call(api.rest.GET("/api/datasets"));
    expect(datasets.map((d) => d.name).slice(0, 4)).toEqual(["spirals", "circle", "xor", "gauss"]);
    expect(requests[0]?.headers.get("authorization")).toBe("Bearer s3cret");
  });

  it("throws the server's error message", async () => {
    const conflict = fixtures.conflict();
    const { api } = fakeServer({ "POST /api/runs/abc/control": () => ({ status: 409, body: conflict }) });
    const request = call(api.rest.POST("/api/runs/{run_id}/control", { params: { path: { run_id: "abc" } }, body: { action: "pause" } }));
    await expect(request).rejects.toEqual(new ApiError("conflict", conflict.error.message, 409));
    await expect(request).rejects.toMatchObject({ status: 409, code: "conflict" });
  });

  it("explains a server that cannot be reached", async () => {
    const api = createApi({
      baseUrl: "http://localhost:3000",
      token: null,
      fetch: () => Promise.reject(new TypeError("Failed to fetch")),
    });
    await expect(call(api.rest.GET("/api/health"))).rejects.toThrow(/Cannot reach the neuralscope server/);
  });

  it("builds WebSocket URLs with the token", () => {
    expect(createApi({ baseUrl: "https://example.org", token: "t k" }).wsUrl("/ws/runs/1")).toBe(
      "wss://example.org/ws/runs/1?token=t+k",
    );
    expect(createApi({ baseUrl: "http://127.0.0.1:8765", token: null }).wsUrl("/ws/runs/1")).toBe("ws://127.0.0.1:8765/ws/runs/1");
  });
});

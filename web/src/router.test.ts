import { describe, expect, it } from "vitest";
import { href, parseRoute } from "./router";

describe("hash routes", () => {
  it("parses the pages", () => {
    expect(parseRoute("")).toEqual({ page: "playground", runId: null });
    expect(parseRoute("#/playground")).toEqual({ page: "playground", runId: null });
    expect(parseRoute("#/playground/ab%20c")).toEqual({ page: "playground", runId: "ab c" });
    expect(parseRoute("#/runs")).toEqual({ page: "runs" });
    expect(parseRoute("#/shared/tok_en-1")).toEqual({ page: "shared", token: "tok_en-1" });
    expect(parseRoute("#/shared")).toEqual({ page: "not-found", path: "/shared" });
    expect(parseRoute("#/playground?setup=abc_-")).toEqual({ page: "playground", runId: null, setup: "abc_-" });
    expect(parseRoute("#/compare/a1,b2")).toEqual({ page: "compare", runIds: ["a1", "b2"] });
    expect(parseRoute("#/analytics")).toEqual({ page: "analytics", modelId: null });
    expect(parseRoute("#/analytics/ab12")).toEqual({ page: "analytics", modelId: "ab12" });
    expect(parseRoute("#/search")).toEqual({ page: "search", study: null });
    expect(parseRoute("#/search/digits%201")).toEqual({ page: "search", study: "digits 1" });
    expect(parseRoute("#/nope/x")).toEqual({ page: "not-found", path: "/nope/x" });
  });

  it("round-trips", () => {
    for (const hash of ["#/playground", "#/playground/abc", "#/runs", "#/shared/tok_en-1", "#/playground?setup=x-y_z", "#/compare/a1,b2", "#/analytics", "#/analytics/ab12", "#/search", "#/search/digits-1"]) expect(href(parseRoute(hash))).toBe(hash);
  });
});

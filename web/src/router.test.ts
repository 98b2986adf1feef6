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
    expect(parseRoute("#/nope/x")).toEqual({ page: "not-found", path: "/nope/x" });
  });

  it("round-trips", () => {
    for (const hash of ["#/playground", "#/playground/abc", "#/runs", "#/shared/tok_en-1"]) expect(href(parseRoute(hash))).toBe(hash);
  });
});

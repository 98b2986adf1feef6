import { afterEach, describe, expect, it } from "vitest";
import { readToken } from "./token";

describe("readToken", () => {
  afterEach(() => window.history.replaceState(null, "", "/"));

  it("keeps ?token= in sessionStorage and removes it from the address bar", () => {
    window.history.replaceState(null, "", "/?token=abc&x=1#/runs");
    expect(readToken()).toBe("abc");
    expect(sessionStorage.getItem("neuralscope.token")).toBe("abc");
    expect(window.location.search).toBe("?x=1");
    expect(window.location.hash).toBe("#/runs");
    expect(readToken()).toBe("abc"); // from storage on the next load
  });

  it("is null without one", () => {
    expect(readToken()).toBeNull();
  });
});

import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useThrottled } from "./useThrottled";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("useThrottled", () => {
  it("passes changes on at most once per interval, ending on the newest value", () => {
    const { result, rerender } = renderHook(({ v }) => useThrottled(v, 1000), { initialProps: { v: 1 } });
    act(() => vi.advanceTimersByTime(1500));
    rerender({ v: 2 });
    act(() => vi.advanceTimersByTime(0));
    expect(result.current).toBe(2); // the first change after a quiet second goes through at once
    rerender({ v: 3 });
    act(() => vi.advanceTimersByTime(100));
    rerender({ v: 4 });
    act(() => vi.advanceTimersByTime(100));
    expect(result.current).toBe(2);
    act(() => vi.advanceTimersByTime(1000));
    expect(result.current).toBe(4);
  });
});

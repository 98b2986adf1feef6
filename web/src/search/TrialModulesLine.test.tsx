import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { TrialCard } from "./TrialCard";
import { modulesText, TrialModulesLine, type TrialModules } from "./TrialModulesLine";
import { searchFixtures } from "./testFixtures";

const MODULES: TrialModules = {
  layer: "act3",
  units: 16,
  epoch: 3,
  probe_samples: 256,
  modules: 3,
  significant: true,
  modularity: 0.4213,
  p_value: 0.0004,
  dead_units: 2,
  largest_share: 0.5,
  dominant_share: 0.61,
  alerts: ["dead_module", "dominant_module"],
  changes: 1,
  history: [{ epoch: 3, modules: 3, modularity: 0.4213, p_value: 0.0004 }],
  seconds: 0.3,
};

describe("a trial's modules line", () => {
  it("shows the count, Q, p, the dominant share and the alerts", () => {
    expect(modulesText(MODULES)).toBe("3 modules · Q 0.42 · p <0.001 · dominant 61% · alerts: dead module, dominant module");
    render(<TrialModulesLine modules={MODULES} />);
    const line = screen.getByTestId("trial-modules");
    expect(line.textContent).toMatch(/^Modules: 3 modules/);
    expect(line.getAttribute("title")).toMatch(/act3 \(16 units, 2 dead\) on 256 validation samples after epoch 3; largest module 50%/);
  });

  it("says when there is no modular structure, before the importance is known", () => {
    const plain = { ...MODULES, modules: 1, significant: false, modularity: 0.05, p_value: 0.4, dominant_share: null, alerts: [] };
    expect(modulesText(plain)).toBe("no modular structure · Q 0.05 · p 0.400 · no alerts");
    expect(modulesText({ ...plain, significant: true, modularity: null, p_value: null })).toBe("1 module · Q – · p – · no alerts");
  });
});

describe("the gallery card", () => {
  it("shows the modules line when the trial has one, and none otherwise", () => {
    const [trial] = searchFixtures.trials().items;
    const study = searchFixtures.study().study;
    const noop = () => {};
    const { unmount } = render(<TrialCard trial={{ ...trial!, modules: MODULES }} study={study} best={false} selected={false} onSelect={noop} />);
    expect(screen.getByTestId("trial-modules").textContent).toMatch(/^Modules: 3 modules · Q 0\.42/);
    unmount();
    render(<TrialCard trial={{ ...trial!, modules: null }} study={study} best={false} selected={false} onSelect={noop} />);
    expect(screen.queryByTestId("trial-modules")).toBeNull();
  });
});

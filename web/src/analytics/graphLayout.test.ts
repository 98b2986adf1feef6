import { describe, expect, it } from "vitest";
import { fitLabel, layoutGraph, overlaps, worstSeverity, type GraphEdgeIn, type GraphNodeIn } from "./graphLayout";

const mod = (id: string, kind = "Conv2d"): GraphNodeIn => ({ id, op: "call_module", kind, target: id, layer: id });
const fn = (id: string, kind = id): GraphNodeIn => ({ id, op: "call_function", kind, target: kind, layer: null });
const chain = (ids: string[]): GraphEdgeIn[] => ids.slice(1).map((t, i) => ({ source: ids[i] as string, target: t }));

/** The fx graph of stem -> 2 residual blocks -> pool -> fc (as the analysis reports it). */
function resnet(): { nodes: GraphNodeIn[]; edges: GraphEdgeIn[] } {
  const nodes = [
    { id: "x", op: "placeholder", kind: "x", target: "x" },
    mod("stem"),
    mod("b1.conv1"), mod("b1.relu", "ReLU"), mod("b1.conv2"), fn("add"), fn("relu"),
    mod("b2.conv1"), mod("b2.relu", "ReLU"), mod("b2.conv2"), fn("add_1", "add"), fn("relu_1", "relu"),
    mod("pool", "AdaptiveAvgPool2d"), mod("fc", "Linear"),
    { id: "output", op: "output", kind: "output", target: "output" },
  ];
  const edges = [
    ...chain(["x", "stem", "b1.conv1", "b1.relu", "b1.conv2", "add", "relu", "b2.conv1", "b2.relu", "b2.conv2", "add_1", "relu_1", "pool", "fc", "output"]),
    { source: "stem", target: "add" },
    { source: "relu", target: "add_1" },
  ];
  return { nodes, edges };
}

describe("layoutGraph", () => {
  it("places every node once, top to bottom, with no two boxes overlapping", () => {
    const { nodes, edges } = resnet();
    const layout = layoutGraph(nodes, edges);
    expect(layout.nodes.map((n) => n.id).sort()).toEqual(nodes.map((n) => n.id).sort());
    for (const [i, a] of layout.nodes.entries()) {
      for (const b of layout.nodes.slice(i + 1)) expect(overlaps(a, b), `${a.id} / ${b.id}`).toBe(false);
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.x + a.w).toBeLessThanOrEqual(layout.width);
      expect(a.y + a.h).toBeLessThanOrEqual(layout.height);
    }
    const at = new Map(layout.nodes.map((n) => [n.id, n]));
    for (const e of layout.edges) {
      expect(at.has(e.source) && at.has(e.target)).toBe(true);
      expect((at.get(e.target)?.rank ?? 0) > (at.get(e.source)?.rank ?? 0)).toBe(true); // edges point down
    }
  });

  it("detects exactly the two residual connections of a ResNet-shaped graph and curves them", () => {
    const { nodes, edges } = resnet();
    const skips = layoutGraph(nodes, edges).edges.filter((e) => e.skip);
    expect(skips.map((e) => `${e.source}->${e.target}`).sort()).toEqual(["relu->add_1", "stem->add"]);
    for (const s of skips) expect(s.path).toMatch(/^M [\d.]+ [\d.]+ C /);
  });

  it("draws edges between existing nodes only and survives unknown ids, self-loops and cycles", () => {
    const nodes = [mod("a"), mod("b"), mod("c")];
    const edges = [
      { source: "a", target: "b" },
      { source: "b", target: "ghost" },
      { source: "c", target: "c" },
      { source: "b", target: "a" },
    ];
    const layout = layoutGraph(nodes, edges);
    expect(layout.nodes).toHaveLength(3);
    expect(layout.edges.every((e) => e.source !== "ghost" && e.target !== "ghost" && e.source !== e.target)).toBe(true);
    const ranks = new Set(layout.nodes.map((n) => `${n.x},${n.y}`));
    expect(ranks.size).toBe(3);
  });

  it("puts parallel branches side by side in one rank", () => {
    const nodes = [mod("in"), mod("left"), mod("right"), fn("cat")];
    const edges = [
      { source: "in", target: "left" },
      { source: "in", target: "right" },
      { source: "left", target: "cat" },
      { source: "right", target: "cat" },
    ];
    const layout = layoutGraph(nodes, edges);
    const at = new Map(layout.nodes.map((n) => [n.id, n]));
    expect(at.get("left")?.y).toBe(at.get("right")?.y);
    expect(at.get("left")?.x).not.toBe(at.get("right")?.x);
    expect(at.get("cat")?.x).toBe(at.get("in")?.x); // the main line keeps its column after a branch
    expect(layout.edges.some((e) => e.skip)).toBe(false);
  });

  it("lays out a 400-node chain (BERT-sized, weights only) quickly", () => {
    const ids = Array.from({ length: 400 }, (_, i) => `encoder.layer.${i}`);
    const t0 = performance.now();
    const layout = layoutGraph(ids.map((id) => mod(id, "linear")), chain(ids));
    expect(performance.now() - t0).toBeLessThan(200);
    expect(layout.height).toBeGreaterThan(400 * 40);
    expect(new Set(layout.nodes.map((n) => n.y)).size).toBe(400);
  });
});

describe("worstSeverity and fitLabel", () => {
  const findings = [
    { layer: "enc.0.q", severity: "warning" },
    { layer: "enc.0.q", severity: "info" },
    { layer: "enc.1", severity: "critical" },
    { layer: null, severity: "critical" },
  ];
  it("takes the worst Finding on the layer; containers take their children's", () => {
    expect(worstSeverity("enc.0.q", findings)).toBe("warning");
    expect(worstSeverity("enc.1", findings)).toBe("critical");
    expect(worstSeverity("enc.0", findings)).toBe("ok");
    expect(worstSeverity("enc.0", findings, true)).toBe("warning");
    expect(worstSeverity("enc.10", findings, true)).toBe("ok"); // a prefix is not a parent
    expect(worstSeverity(null, findings)).toBe("ok");
  });
  it("cuts long labels in the middle", () => {
    expect(fitLabel("short", 10)).toBe("short");
    const cut = fitLabel("encoder.layer.11.attention.self.query", 15);
    expect(cut).toHaveLength(15);
    expect(cut.startsWith("encoder")).toBe(true);
    expect(cut.endsWith("query")).toBe(true);
  });
});

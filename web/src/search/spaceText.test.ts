import { describe, expect, it } from "vitest";
import { describeRange, parseSpace, parseYaml, toText } from "./spaceText";
import { searchFixtures } from "./testFixtures";

describe("search space text", () => {
  it("round-trips every default space through YAML and JSON", () => {
    const { spaces } = searchFixtures.defaults();
    for (const [family, space] of Object.entries(spaces)) {
      for (const format of ["yaml", "json"] as const) {
        const parsed = parseSpace(toText(space, format), format, family);
        expect(parsed.errors).toEqual([]);
        expect(parsed.space?.family).toBe(family);
        // Defaults left out of the YAML (step 1, log false) are the server's defaults too.
        for (const [name, param] of Object.entries(space.params)) {
          const back = parsed.space?.params[name];
          expect(back?.type).toBe(param.type);
          expect(back?.help).toBe(param.help);
          if (param.type !== "categorical" && back?.type !== "categorical") expect([back?.low, back?.high]).toEqual([param.low, param.high]);
          else expect(back && "choices" in back ? back.choices : null).toEqual(param.type === "categorical" ? param.choices : null);
        }
      }
    }
  });

  it("reads the YAML subset: nesting, flow lists and maps, comments, quotes", () => {
    expect(parseYaml('family: mlp # tabular\nparams:\n  lr: {type: float, low: 1e-4, high: 0.1, log: true}\n  act:\n    type: categorical\n    choices: [relu, "tanh", 3]\n')).toEqual({
      family: "mlp",
      params: { lr: { type: "float", low: 1e-4, high: 0.1, log: true }, act: { type: "categorical", choices: ["relu", "tanh", 3] } },
    });
    expect(() => parseYaml("a: 1\n   b: 2\n")).toThrow("line 2: unexpected indentation");
  });

  it("names what is wrong and where", () => {
    expect(parseSpace("{", "json", "cnn").errors[0]).toMatch(/^not valid JSON: /);
    expect(parseSpace("family: mlp\nparams:\n  units: {type: int, low: 9, high: 3}\n", "yaml", "cnn").errors).toEqual([
      "family: this dataset needs the cnn family, not mlp",
      "params.units: low (9) must not exceed high (3)",
    ]);
    expect(parseSpace("family: cnn\nparams:\n  lr: {type: float, low: 0, high: 1, log: true}\n  x: {type: range}\n", "yaml", "cnn").errors).toEqual([
      "params.lr: a log-scaled range must be positive",
      'params.x.type: must be int, float or categorical (got "range")',
    ]);
    expect(parseSpace("family: cnn\nparams:\n", "yaml", "cnn").errors).toEqual(["params: give at least one hyperparameter"]);
  });

  it("describes ranges for people", () => {
    expect(describeRange({ type: "float", low: 0.0001, high: 0.1, log: true, help: "" })).toBe("0.0001 … 0.1 (log scale)");
    expect(describeRange({ type: "categorical", choices: [3, 5], help: "" })).toBe("3, 5");
  });
});

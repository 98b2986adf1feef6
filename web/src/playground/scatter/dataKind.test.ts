import { describe, expect, it } from "vitest";
import type { DatasetInfo, SessionConfig } from "../../api/types";
import { dataKind } from "./dataKind";

const config = (data: Record<string, unknown>) => ({ data }) as unknown as SessionConfig;
const table = (n: number) => ({ id: "0".repeat(64), n_features: n, task: "binary", n_classes: 2 });

describe("dataKind", () => {
  it("reads an uploaded table's kind from its feature count, the rest from the catalogue", () => {
    const sets = [{ name: "digits", kind: "image" }] as DatasetInfo[];
    expect(dataKind(config({ dataset: "csv", table: table(1) }), sets)).toBe("line");
    expect(dataKind(config({ dataset: "csv", table: table(2) }), sets)).toBe("plane");
    expect(dataKind(config({ dataset: "csv", table: table(3) }), sets)).toBe("table");
    expect(dataKind(config({ dataset: "digits" }), sets)).toBe("image");
    expect(dataKind(config({ dataset: "digits" }), null)).toBeUndefined();
    expect(dataKind(null, sets)).toBeUndefined();
  });
});

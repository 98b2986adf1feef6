/** One line describing a run's setup, for comparisons: net, optimizer, learning rate, batch, regularisation. */

import type { SessionConfig } from "../../api/types";

export function describeConfig(config: SessionConfig): string {
  const layers = config.spec.layers
    .map((l) => (l.type === "dense" ? `${l.units} ${l.activation}` : l.type === "conv2d" ? `conv${l.filters}` : l.type))
    .join(" → ");
  const hp = config.hyperparameters;
  const extras = [
    hp.weight_decay ? `L2 ${hp.weight_decay}` : null,
    hp.l1 ? `L1 ${hp.l1}` : null,
    hp.dropout !== undefined && hp.dropout >= 0 ? `dropout ${hp.dropout}` : null,
  ].filter((e): e is string => e !== null);
  return `${layers || "linear"} · ${hp.optimizer}, lr ${hp.learning_rate}, batch ${hp.batch_size}${extras.length ? ` · ${extras.join(", ")}` : ""}`;
}

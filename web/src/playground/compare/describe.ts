/** One line describing a run's setup, for comparisons: net, optimizer, learning rate, batch. */

import type { SessionConfig } from "../../api/types";

export function describeConfig(config: SessionConfig): string {
  const layers = config.spec.layers
    .map((l) => (l.type === "dense" ? `${l.units} ${l.activation}` : l.type === "conv2d" ? `conv${l.filters}` : l.type))
    .join(" → ");
  const hp = config.hyperparameters;
  return `${layers || "linear"} · ${hp.optimizer}, lr ${hp.learning_rate}, batch ${hp.batch_size}`;
}

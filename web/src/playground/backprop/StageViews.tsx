/** The four stages of one backprop step, for one chosen sample of the batch. */

import type { BackpropTrace, LayerTrace } from "../../api/types";
import {
  backwardWords,
  fmt,
  forwardWords,
  inputNames,
  lossWords,
  outputGradientWords,
  prediction,
  sampleLoss,
  updateWords,
} from "./explain";
import { NumTable } from "./NumTable";

interface Props {
  trace: BackpropTrace;
  sample: number;
}

const units = (layer: LayerTrace) => layer.bias.map((_, u) => `${layer.name}[${u}]`);
const withBias = (w: readonly (readonly number[])[], b: readonly number[]) => w.map((row, u) => [...row, b[u] ?? 0]);

function topUnits(trace: BackpropTrace, layer: LayerTrace): Set<number> {
  return new Set(trace.top_neurons.filter((n) => n.layer === layer.name).map((n) => n.unit));
}

export function ForwardView({ trace, sample }: Props) {
  const x = trace.inputs[sample] ?? [];
  return (
    <div className="pg-stage" data-testid="pg-stage-forward">
      <p>The sample's inputs enter the network and flow forward, layer by layer.</p>
      <NumTable caption="Inputs" rowHeader="input" rows={x.map((_, k) => `x${k + 1}`)} columns={["value"]} values={x.map((v) => [v])} />
      {trace.layers.map((layer, i) => (
        <section key={layer.name} className="pg-stage-layer">
          <h4>
            {layer.name} ({layer.activation})
          </h4>
          <p className="hint">{forwardWords(layer, inputNames(trace, i).length)}</p>
          <NumTable
            caption={`${layer.name}: weighted sum z and activation a`}
            rowHeader="unit"
            rows={units(layer)}
            columns={["z", "a = f(z)"]}
            values={layer.bias.map((_, u) => [layer.pre_activation[sample]?.[u] ?? 0, layer.activation_value[sample]?.[u] ?? 0])}
            testId={`pg-forward-${layer.name}`}
          />
        </section>
      ))}
    </div>
  );
}

export function LossView({ trace, sample }: Props) {
  const output = trace.layers[trace.layers.length - 1];
  const z = (i: number) => output?.pre_activation[i] ?? [];
  const p = (i: number) => {
    const probs = prediction(trace.task, z(i));
    if (trace.task === "multiclass") return probs[Math.round(trace.targets[i] ?? 0)] ?? 0;
    return probs[0] ?? 0;
  };
  const predictionLabel = trace.task === "binary" ? "p(class 1)" : trace.task === "multiclass" ? "p(true class)" : "prediction";
  const rows = trace.targets.map((_, i) => `${i === sample ? "▶ " : ""}sample ${i + 1}`);
  return (
    <div className="pg-stage" data-testid="pg-stage-loss">
      <p>{lossWords(trace)}</p>
      <NumTable
        caption="Each sample's loss; the batch loss is their mean"
        rowHeader="sample"
        rows={rows}
        columns={["label", predictionLabel, "loss"]}
        values={trace.targets.map((y, i) => [y, p(i), sampleLoss(trace.task, z(i), y)])}
        highlight={new Set([sample])}
      />
      <p className="pg-loss-total" data-testid="pg-loss-value">
        Batch loss = <strong title={String(trace.loss)}>{fmt(trace.loss)}</strong>
        {trace.penalty > 0 && (
          <>
            {" "}
            + L1 penalty <span title={String(trace.penalty)}>{fmt(trace.penalty)}</span>
          </>
        )}
      </p>
    </div>
  );
}

export function BackwardView({ trace, sample }: Props) {
  const reversed = [...trace.layers.entries()].reverse();
  return (
    <div className="pg-stage" data-testid="pg-stage-backward">
      <p>{outputGradientWords(trace)} From there the blame flows backwards: each layer passes dL/da to the one before it.</p>
      {trace.top_neurons.length > 0 && (
        <p className="hint" data-testid="pg-top-neurons">
          Contributing most to this update (|activation × gradient|):{" "}
          {trace.top_neurons.map((n) => `${n.layer}[${n.unit}] (${fmt(n.score)})`).join(", ")}. They are highlighted.
        </p>
      )}
      {reversed.map(([i, layer]) => (
        <section key={layer.name} className="pg-stage-layer">
          <h4>{layer.name}</h4>
          <p className="hint">{backwardWords(layer)}</p>
          <NumTable
            caption={`${layer.name}: gradients of sample ${sample + 1}`}
            rowHeader="unit"
            rows={units(layer)}
            columns={["dL/da", "dL/dz"]}
            values={layer.bias.map((_, u) => [layer.grad_activation[sample]?.[u] ?? 0, layer.grad_pre_activation[sample]?.[u] ?? 0])}
            highlight={topUnits(trace, layer)}
            testId={`pg-backward-${layer.name}`}
          />
          <NumTable
            caption={`${layer.name}: dL/dW and dL/db over the whole batch`}
            rowHeader="unit"
            rows={units(layer)}
            columns={[...inputNames(trace, i), "bias"]}
            values={withBias(layer.grad_weight, layer.grad_bias)}
            highlight={topUnits(trace, layer)}
          />
        </section>
      ))}
    </div>
  );
}

export function UpdateView({ trace }: Props) {
  return (
    <div className="pg-stage" data-testid="pg-stage-update">
      <p>{updateWords(trace)} The new weights are W + ΔW; the next step starts from them.</p>
      {trace.layers.map((layer, i) => {
        const columns = [...inputNames(trace, i), "bias"];
        const before = withBias(layer.weight, layer.bias);
        const delta = withBias(layer.update_weight, layer.update_bias);
        const after = before.map((row, u) => row.map((w, k) => w + (delta[u]?.[k] ?? 0)));
        return (
          <section key={layer.name} className="pg-stage-layer">
            <h4>{layer.name}</h4>
            <div className="pg-update-grid">
              <NumTable caption="W before" rowHeader="unit" rows={units(layer)} columns={columns} values={before} />
              <NumTable caption="ΔW (the update)" rowHeader="unit" rows={units(layer)} columns={columns} values={delta} testId={`pg-update-${layer.name}`} />
              <NumTable caption="W after" rowHeader="unit" rows={units(layer)} columns={columns} values={after} />
            </div>
          </section>
        );
      })}
    </div>
  );
}

/**
 * The architecture builder: drag layer types from the palette into the stack, drag layers to
 * reorder them, edit their settings in place, and see each layer's output shape and parameter
 * count as the server computes them. Every drag has a keyboard twin: palette buttons add at
 * the end, arrow buttons move, ✕ removes; Undo/Redo step through the edits.
 */

import { Fragment, useRef, useState } from "react";
import type { LayerType } from "../api/types";
import type { PlaygroundForm } from "./form";
import { LayerCard } from "./LayerCard";
import { insertLayer, LAYER_HELP, LAYER_TITLES, LAYER_TYPES, MAX_LAYERS, moveLayer, newLayer, removeLayer, type LayerDraft } from "./layers";
import { useLayerDrag, type DragSource } from "./useLayerDrag";
import { useShapes } from "./useShapes";

interface Props {
  form: PlaygroundForm;
  onChange(layers: LayerDraft[]): void;
  disabled: boolean;
}

const HISTORY = 100;

export function ArchitectureBuilder({ form, onChange, disabled }: Props) {
  const layers = form.layers;
  const stackRef = useRef<HTMLOListElement>(null);
  const [past, setPast] = useState<LayerDraft[][]>([]);
  const [future, setFuture] = useState<LayerDraft[][]>([]);
  const { shapes, problem, loading } = useShapes(form);

  const commit = (next: LayerDraft[]) => {
    setPast((p) => [...p.slice(-HISTORY + 1), layers]);
    setFuture([]);
    onChange(next);
  };
  const undo = () => {
    const previous = past[past.length - 1];
    if (!previous) return;
    setPast(past.slice(0, -1));
    setFuture([layers, ...future]);
    onChange(previous);
  };
  const redo = () => {
    const next = future[0];
    if (!next) return;
    setFuture(future.slice(1));
    setPast([...past, layers]);
    onChange(next);
  };

  const full = layers.length >= MAX_LAYERS;
  const drop = (source: DragSource, index: number) => {
    if (source.kind === "palette") {
      if (!full) commit(insertLayer(layers, index, newLayer(source.type)));
    } else {
      const to = index > source.index ? index - 1 : index;
      if (to !== source.index) commit(moveLayer(layers, source.index, to));
    }
  };
  const { drag, start, consumeClick } = useLayerDrag({ stackRef, onDrop: drop });
  const add = (type: LayerType) => {
    if (!consumeClick()) commit(insertLayer(layers, layers.length, newLayer(type)));
  };

  const output = shapes?.layers.find((s, i) => s.name === "output" && i === shapes.layers.length - 1);
  const dropLine = (i: number) => drag?.over === i && <li className="pg-drop-line" aria-hidden="true" />;
  return (
    <fieldset className="control-group pg-builder" disabled={disabled} data-testid="pg-builder">
      <legend>Network</legend>
      <div className="pg-palette" role="group" aria-label="Add a layer">
        {LAYER_TYPES.map((type) => (
          <button
            key={type}
            type="button"
            className="button pg-palette-item"
            data-testid={`pg-palette-${type}`}
            title={`${LAYER_TITLES[type]}: ${LAYER_HELP[type]}. Drag into the stack, or press to add at the end.`}
            aria-label={`Add ${LAYER_TITLES[type]} layer`}
            disabled={full}
            onPointerDown={(e) => start(e, { kind: "palette", type })}
            onClick={() => add(type)}
          >
            + {LAYER_TITLES[type]}
          </button>
        ))}
      </div>
      <p className="pg-io" data-testid="pg-input-shape">
        Input: {shapes ? shapes.input_shape.join("×") : "…"}
      </p>
      <ol ref={stackRef} className={`pg-stack${drag ? " pg-stack-dragging" : ""}`} data-testid="layers-editor" aria-label="Layers, input to output">
        {layers.length === 0 && !drag && <li className="pg-stack-empty">No hidden layers: a linear model. Drag a layer here.</li>}
        {layers.map((draft, i) => (
          <Fragment key={draft.id}>
            {dropLine(i)}
            <LayerCard
              draft={draft}
              index={i}
              count={layers.length}
              shape={shapes?.layers[i]}
              problem={problem?.index === i ? problem.message : null}
              disabled={disabled}
              onChange={(patch) => commit(layers.map((l, j) => (j === i ? { ...l, ...patch } : l)))}
              onMove={(to) => commit(moveLayer(layers, i, to))}
              onRemove={() => commit(removeLayer(layers, i))}
              onHandleDown={(e) => start(e, { kind: "layer", index: i })}
            />
          </Fragment>
        ))}
        {dropLine(layers.length)}
      </ol>
      <p className="pg-io" data-testid="pg-output-shape">
        Output: {output ? `${output.output_shape.join("×")} · ${output.parameters} params` : "…"}
        {shapes && (
          <span className="pg-total" data-testid="pg-total-params">
            {" "}
            · {shapes.total_parameters.toLocaleString("en")} parameters in all
          </span>
        )}
        {loading && <span className="hint"> · checking…</span>}
      </p>
      {problem && (problem.index === null || problem.index >= layers.length) && (
        <p className="pg-layer-error" role="alert" data-testid="pg-net-error">
          {problem.message}
        </p>
      )}
      <div className="pg-history" role="group" aria-label="Edit history">
        <button type="button" className="button button-quiet" onClick={undo} disabled={past.length === 0}>
          Undo
        </button>
        <button type="button" className="button button-quiet" onClick={redo} disabled={future.length === 0}>
          Redo
        </button>
        <span className="hint">Up to {MAX_LAYERS} layers; the browser draws every unit, so keep nets small.</span>
      </div>
      {drag && (
        <div className="pg-drag-ghost" style={{ left: drag.x + 12, top: drag.y + 12 }} aria-hidden="true">
          {drag.source.kind === "palette" ? LAYER_TITLES[drag.source.type] : `Layer ${drag.source.index + 1}`}
        </div>
      )}
    </fieldset>
  );
}

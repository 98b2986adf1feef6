/**
 * A trial's network in 3-D (three.js via react-three-fiber), from the documented layout endpoint:
 * one block per layer along x, sized by units/filters/kernel and coloured by health, accuracy or
 * kind. Orbit, zoom and pan with mouse or touch (OrbitControls; arrow keys pan when the canvas
 * has focus); hover or click a block, or pick it in the list, for its details. PNG snapshot
 * (``preserveDrawingBuffer``) and a few seconds of rotation as WebM (MediaRecorder on
 * ``canvas.captureStream``). Loaded lazily: three.js stays out of the main bundle.
 */

import { OrbitControls } from "@react-three/drei";
import { Canvas, useFrame } from "@react-three/fiber";
import { Component, useRef, useState, type ReactNode } from "react";
import type { Group } from "three";
import type { LayoutBlock, ModelLayout } from "../api/types";
import { saveBlob } from "../components/saveFile";

export const RECORD_SECONDS = 4;

function Block({ block, active, onHover, onPick }: { block: LayoutBlock; active: boolean; onHover(i: number | null): void; onPick(i: number): void }) {
  const [x, y, z] = block.position as [number, number, number];
  const [w, h, d] = block.size as [number, number, number];
  return (
    <mesh
      position={[x, y, z]}
      onPointerOver={(e) => {
        e.stopPropagation();
        onHover(block.index);
      }}
      onPointerOut={() => onHover(null)}
      onClick={(e) => {
        e.stopPropagation();
        onPick(block.index);
      }}
    >
      <boxGeometry args={[w, h, d]} />
      <meshStandardMaterial color={block.color} emissive={active ? "#444444" : "#000000"} roughness={0.55} metalness={0.05} />
    </mesh>
  );
}

function Spinner({ spinning, children }: { spinning: boolean; children: ReactNode }) {
  const group = useRef<Group>(null);
  useFrame((_, delta) => {
    if (spinning && group.current) group.current.rotation.y += delta * ((2 * Math.PI) / RECORD_SECONDS);
  });
  return <group ref={group}>{children}</group>;
}

class WebGLBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    if (this.state.failed) return <p className="empty">This browser could not start WebGL, which the 3-D view needs. The block list below has the same details.</p>;
    return this.props.children;
  }
}



function Details({ block }: { block: LayoutBlock }) {
  const l = block.layer;
  return (
    <dl className="search-3d-details" data-testid="block-details">
      <dt>Layer {block.index}</dt>
      <dd>{block.label}</dd>
      <dt>Output</dt>
      <dd>{l.output_shape.join(" × ")}</dd>
      <dt>Parameters</dt>
      <dd>{l.params.toLocaleString("en")}</dd>
      <dt>Live units</dt>
      <dd>{l.health === null || l.health === undefined ? "not measured" : `${(l.health * 100).toFixed(0)}%`}</dd>
    </dl>
  );
}

export default function Model3DView({ layout, filename }: { layout: ModelLayout; filename: string }) {
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const [hover, setHover] = useState<number | null>(null);
  const [picked, setPicked] = useState<number | null>(null);
  const [spinning, setSpinning] = useState(false);
  const [recording, setRecording] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const shown = layout.blocks[hover ?? picked ?? -1] ?? null;
  const tallest = Math.max(1, ...layout.blocks.map((b) => Math.max(b.size[1] ?? 0, b.size[2] ?? 0)));
  const distance = Math.max(8, layout.length * 0.95 + tallest * 1.3);

  const snapshot = () => {
    const el = canvas.current;
    if (!el) return;
    el.toBlob((blob) => blob && saveBlob(blob, `${filename}.png`), "image/png");
  };

  const record = () => {
    const el = canvas.current;
    if (!el || typeof MediaRecorder === "undefined" || !("captureStream" in el)) {
      setNote("This browser cannot record the canvas (MediaRecorder); take a PNG snapshot instead.");
      return;
    }
    const type = ["video/webm;codecs=vp9", "video/webm;codecs=vp8", "video/webm"].find((t) => MediaRecorder.isTypeSupported(t));
    if (!type) {
      setNote("This browser cannot encode WebM.");
      return;
    }
    const recorder = new MediaRecorder(el.captureStream(30), { mimeType: type });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (e) => e.data.size > 0 && chunks.push(e.data);
    recorder.onstop = () => {
      setRecording(false);
      setSpinning(false);
      saveBlob(new Blob(chunks, { type: "video/webm" }), `${filename}.webm`);
    };
    setRecording(true);
    setSpinning(true);
    recorder.start(250);
    setTimeout(() => recorder.stop(), RECORD_SECONDS * 1000);
  };

  return (
    <div className="search-3d" data-testid="model-3d">
      <WebGLBoundary>
        <div className="search-3d-canvas">
          <Canvas
            camera={{ position: [distance * 0.55, distance * 0.45, distance], fov: 45 }}
            gl={{ preserveDrawingBuffer: true, antialias: true }}
            onCreated={({ gl }) => {
              canvas.current = gl.domElement;
              gl.domElement.setAttribute("aria-label", `3-D view of ${layout.blocks.length} layers`);
              gl.domElement.setAttribute("data-testid", "model-3d-canvas");
            }}
            onPointerMissed={() => setPicked(null)}
          >
            <color attach="background" args={["#f8fafc"]} />
            <ambientLight intensity={0.7} />
            <directionalLight position={[5, 8, 6]} intensity={1.1} />
            <Spinner spinning={spinning}>
              {layout.blocks.map((b) => (
                <Block key={b.index} block={b} active={b.index === (hover ?? picked)} onHover={setHover} onPick={setPicked} />
              ))}
            </Spinner>
            <gridHelper args={[Math.ceil(layout.length + 4), 20, "#cbd5e1", "#e2e8f0"]} position={[0, -tallest / 2 - 0.05, 0]} />
            <OrbitControls makeDefault enableDamping />
          </Canvas>
        </div>
      </WebGLBoundary>
      <div className="search-3d-bar">
        <button type="button" className="button" onClick={snapshot}>
          PNG snapshot
        </button>
        <button type="button" className="button" onClick={record} disabled={recording}>
          {recording ? `Recording ${RECORD_SECONDS} s…` : "WebM animation"}
        </button>
        <button type="button" className="button button-quiet" aria-pressed={spinning} onClick={() => setSpinning(!spinning)} disabled={recording}>
          Rotate
        </button>
      </div>
      {note && <p className="search-help">{note}</p>}
      {shown ? <Details block={shown} /> : <p className="search-help">Drag to orbit, pinch or scroll to zoom, right-drag or two fingers to pan. Hover or tap a block for details.</p>}
      <ol className="search-3d-list" aria-label="Layers">
        {layout.blocks.map((b) => (
          <li key={b.index}>
            <button type="button" className="button button-quiet" aria-pressed={picked === b.index} onClick={() => setPicked(picked === b.index ? null : b.index)}>
              <span className="search-swatch" style={{ background: b.color }} aria-hidden="true" /> {b.label}
            </button>
          </li>
        ))}
      </ol>
    </div>
  );
}

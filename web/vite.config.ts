import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

const API = "http://127.0.0.1:8765";

export default defineConfig({
  plugins: [react()],
  build: {
    // The Python server serves the built app (src/neuralscope/server/static.py).
    outDir: "../src/neuralscope/server/static",
    emptyOutDir: true,
  },
  server: {
    proxy: {
      "/api": { target: API },
      "/ws": { target: API, ws: true },
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["src/test/setup.ts"],
    restoreMocks: true,
  },
});

/**
 * Upload a model file as the raw body of ``POST /api/models``. ``xhrUploader`` reports progress
 * (fetch cannot report upload progress); ``fetchUploader`` goes through the typed client and is
 * used where XMLHttpRequest is not wanted (component tests run it against the fake server).
 */

import type { Api } from "../api/client";
import type { ModelOut } from "../api/types";
import { uploadError } from "./model";

export interface UploadRequest {
  file: File;
  inputShape: string | null;
  onProgress(fraction: number): void;
}

export type Uploader = (request: UploadRequest) => Promise<ModelOut>;

export class UploadFailed extends Error {}

function query(file: File, inputShape: string | null): URLSearchParams {
  const q = new URLSearchParams({ filename: file.name });
  if (inputShape) q.set("input_shape", inputShape);
  return q;
}

/** http(s) URL and token of a server path, read off the Api's WebSocket URL builder. */
function restTarget(api: Api, path: string): { url: URL; token: string | null } {
  const url = new URL(api.wsUrl(path));
  url.protocol = url.protocol === "wss:" ? "https:" : "http:";
  const token = url.searchParams.get("token");
  url.searchParams.delete("token");
  return { url, token };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function xhrUploader(api: Api): Uploader {
  return ({ file, inputShape, onProgress }) =>
    new Promise<ModelOut>((resolve, reject) => {
      const { url, token } = restTarget(api, "/api/models");
      url.search = query(file, inputShape).toString();
      const xhr = new XMLHttpRequest();
      xhr.open("POST", url.toString());
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      xhr.onload = () => {
        const body = parseJson(xhr.responseText);
        if (xhr.status === 201) resolve(body as ModelOut);
        else reject(new UploadFailed(uploadError(xhr.status, body)));
      };
      xhr.onerror = () => reject(new UploadFailed(uploadError(0, null)));
      xhr.send(file);
    });
}

export function fetchUploader(api: Api): Uploader {
  return async ({ file, inputShape, onProgress }) => {
    const params = { query: { filename: file.name, ...(inputShape ? { input_shape: inputShape } : {}) } };
    const { data, error, response } = await api.rest.POST("/api/models", {
      params,
      body: (await file.arrayBuffer()) as unknown as string,
      bodySerializer: (b: unknown) => b as BodyInit,
      headers: { "Content-Type": "application/octet-stream" },
    });
    if (data === undefined) throw new UploadFailed(uploadError(response.status, error));
    onProgress(1);
    return data;
  };
}

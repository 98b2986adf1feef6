/** Hand a blob to the browser as a file download (the object URL is freed afterwards). */

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Save text as a file download. */
export function saveText(filename: string, text: string, type: string): void {
  saveBlob(new Blob([text], { type }), filename);
}

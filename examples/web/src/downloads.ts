/** Starts the download of `url` under `filename`, as a click on a hidden link would. */
export function saveUrl(url: string, filename: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
}

/** Saves bytes the page holds (a fetched file, a JSON export) in the browser's downloads. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  saveUrl(url, filename);
  // The browser reads the blob after the click returns; a minute is ample.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

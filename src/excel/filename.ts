/**
 * The workbook's file name from `Office.context.document.url`. Desktop Excel gives a local path as it is
 * (`C:\…\执行率100%.xlsx`, not percent-encoded), Excel on the web a percent-encoded URL. `decodeURIComponent`
 * throws URIError on a lone `%` (`100%.xlsx`), which used to fail every check: decode only the well-formed
 * `%XX` runs and keep everything else as written.
 */
export function fileNameFromUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  const noQuery = url.replace(/[?#].*$/, '');
  const last = noQuery.split(/[\\/]/).pop() ?? '';
  const name = safeDecode(last).trim();
  return name || undefined;
}

/** Decodes the valid UTF-8 `%XX` sequences of `s`; a malformed one is kept verbatim. Never throws. */
export function safeDecode(s: string): string {
  return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/**
 * Names of a variant's files, locally (as ffmpeg writes them) and in the store.
 * Pure string work on the layout of shared/output-layout.ts.
 */

/** Media sequence number in a segment file name (`seg_00042.ts` -> 42); undefined for other files. */
export function segmentNumber(name: string): number | undefined {
  const match = /^seg_(\d+)\.(?:ts|m4s)$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * Store name of a run's init segment. Every ffmpeg run writes a new init segment
 * under the same local name, while edges cache init segments as immutable for days:
 * a restarted run (start number > 0) publishes its own under a name of its own, and
 * the playlist's EXT-X-MAP changes with it after the discontinuity.
 */
export function initStoreName(localName: string, startNumber: number): string {
  if (startNumber === 0) return localName;
  const dot = localName.lastIndexOf('.');
  return dot < 0 ? `${localName}_s${startNumber}` : `${localName.slice(0, dot)}_s${startNumber}${localName.slice(dot)}`;
}

/** Joins store key parts with single slashes. */
export function joinKey(...parts: string[]): string {
  return parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter((part) => part !== '')
    .join('/');
}

/** Content-Type by extension for what HLS origins serve (RFC 8216 4, Apple authoring spec). */
const byExtension: Readonly<Record<string, string>> = {
  m3u8: 'application/vnd.apple.mpegurl',
  m3u: 'application/vnd.apple.mpegurl',
  ts: 'video/mp2t',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
  m4a: 'audio/mp4',
  m4v: 'video/mp4',
  aac: 'audio/aac',
  ac3: 'audio/ac3',
  ec3: 'audio/eac3',
  mp3: 'audio/mpeg',
  vtt: 'text/vtt',
  webvtt: 'text/vtt',
  key: 'application/octet-stream',
  json: 'application/json',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  html: 'text/html; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};

export const defaultContentType = 'application/octet-stream';

export function contentTypeForKey(key: string): string {
  const base = key.slice(key.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  if (dot < 0) return defaultContentType;
  return byExtension[base.slice(dot + 1).toLowerCase()] ?? defaultContentType;
}

export function isPlaylistKey(key: string): boolean {
  return /\.m3u8?$/i.test(key);
}

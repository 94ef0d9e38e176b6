/**
 * Renders an edge's nginx.conf text from validated options. Pure: no file, process or
 * clock access; the caller writes the text (mode 0600: it may hold the signed-URL and
 * session-link secrets) and starts nginx with `-p <prefixDir> -c <file>`.
 */
import { EDGE_CONF_TEMPLATE } from './edge-conf-template.js';
import { parseEdgeConfigOptions, type EdgeConfigInput, type EdgeConfigIssue, type EdgeConfigOptions } from './edge-config-schema.js';
import { fillTemplate } from './fill-template.js';
import { HlscdnError } from '../../core/errors.js';

/** Thrown by {@link renderEdgeConfig} for options {@link parseEdgeConfigOptions} rejects. */
export class EdgeConfigInvalidError extends HlscdnError {
  constructor(
    message: string,
    readonly issues: readonly EdgeConfigIssue[],
  ) {
    super('invalid-config', message, { details: { issues } });
    this.name = 'EdgeConfigInvalidError';
  }
}

/**
 * Renders the nginx config for one edge.
 *
 * The options are validated again here (the text must never carry an unchecked value),
 * so bad options throw {@link EdgeConfigInvalidError}; call
 * {@link parseEdgeConfigOptions} first to get the problems as a value.
 *
 * The result contains the signed-URL or session-link secret when either is enabled:
 * write it with file mode 0600.
 */
export function renderEdgeConfig(options: EdgeConfigInput | EdgeConfigOptions): string {
  const parsed = parseEdgeConfigOptions(options);
  if (!parsed.ok) throw new EdgeConfigInvalidError(parsed.error.message, parsed.error.issues);
  const o = parsed.value;
  // A location takes one secure_link check: session links, when on, replace per-URL
  // signatures (the rewriter writes one kind of link, not both).
  const sessionLinks = o.sessionLinks.enabled;
  const signedUrls = o.signedUrls.enabled && !sessionLinks;
  const coalescer = o.partCoalescer;

  const filled = fillTemplate(EDGE_CONF_TEMPLATE, {
    values: {
      edgeId: o.edgeId,
      user: o.user ?? '',
      workerProcesses: String(o.workerProcesses),
      workerConnections: String(o.workerConnections),
      shutdownTimeoutSeconds: String(o.shutdownTimeoutSeconds),
      prefixDir: o.prefixDir,
      errorLog: o.errorLog,
      errorLogLevel: o.errorLogLevel,
      accessLogPath: o.accessLogPath,
      cacheDir: o.cacheDir,
      keysZoneSize: o.keysZoneSize,
      cacheMaxSize: o.cacheMaxSize,
      cacheMinFree: o.cacheMinFree ?? '',
      cacheInactiveSeconds: String(o.cacheInactiveSeconds),
      upstreamServers: upstreamServerLines(o.origins).join('\n'),
      upstreamKeepalive: String(o.upstreamKeepalive),
      originConnectTimeoutSeconds: String(o.originConnectTimeoutSeconds),
      originTries: String(o.originTries),
      lockTimeoutSeconds: String(o.lockTimeoutSeconds),
      playlistTtlSeconds: String(o.playlistTtlSeconds),
      segmentTtlSeconds: String(o.segmentTtlSeconds),
      listenAddress: listenAddress(o.listenHost, o.listenPort),
      statusAddress: listenAddress(o.statusHost, o.statusPort),
      secureLinkSecret: signedUrls ? (o.signedUrls.secret ?? '') : '',
      sessionLinkSecret: sessionLinks ? (o.sessionLinks.secret ?? '') : '',
      partCoalescerAddress: coalescer.enabled && coalescer.port !== undefined ? listenAddress(coalescer.host, coalescer.port) : '',
      partCoalescerKeepalive: String(coalescer.keepalive),
      partPathPattern: coalescer.pathPattern,
    },
    flags: {
      user: o.user !== undefined,
      cacheMinFree: o.cacheMinFree !== undefined,
      signedUrls,
      sessionLinks,
      partCoalescer: coalescer.enabled,
    },
  });
  // The template ships with the code, so a fill failure is a bug here, not bad input.
  if (!filled.ok) throw new Error(`edge config template is broken: ${filled.error.message}`);
  return filled.value;
}

/**
 * One `server` line per origin: the first is the primary, the rest are `backup`, used
 * only while the primary is marked failed (one failure marks it for 10 s).
 */
function upstreamServerLines(origins: readonly string[]): string[] {
  return origins.map((origin, index) => {
    const url = new URL(origin);
    const address = `${url.hostname}:${url.port === '' ? '80' : url.port}`;
    return index === 0 ? `server ${address} max_fails=1 fail_timeout=10s;` : `server ${address} max_fails=1 fail_timeout=10s backup;`;
  });
}

function listenAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The options an edge's nginx config is rendered from, and their validation.
 *
 * The renderer pastes these values into nginx config text verbatim, so every string is
 * checked against an allowlist here: a quote, semicolon, brace, `$`, `#` or newline in a
 * path or secret would let an option rewrite the config (nginx config injection).
 */
import { isIP } from 'node:net';
import { z } from 'zod';

// Letters, digits and `. _ @ + - /` only: nothing nginx's config parser treats specially.
const SAFE_ABSOLUTE_PATH = /^\/[A-Za-z0-9._@+/-]*$/;
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6_CHARS = /^[0-9A-Fa-f:.]+$/;
// nginx's keys_zone size takes k and m suffixes only (ngx_parse_size); max_size and
// min_free also take g (ngx_parse_offset). Checked against nginx 1.22.
const ZONE_SIZE = /^[1-9][0-9]{0,9}[kKmM]?$/;
const DISK_SIZE = /^[1-9][0-9]{0,12}[kKmMgG]?$/;
/**
 * Characters a secret may hold to be pasted into a `secure_link_md5 "..."` expression:
 * printable, non-space ASCII minus everything meaningful inside an nginx string. Other
 * sections whose secret ends up on an edge (the rewriter's session signer) check it too.
 */
export const EDGE_SECRET_PATTERN = /^[A-Za-z0-9._~+/=:@%!*,^-]+$/;
const MIN_SECRET_LENGTH = 16;

const edgeSecretSchema = z
  .string()
  .min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`)
  .regex(
    EDGE_SECRET_PATTERN,
    'may hold only letters, digits and . _ ~ + / = : @ % ! * , ^ - (no spaces, quotes, ;, {, }, $, \\ or newlines)',
  );

const absolutePath = z
  .string()
  .regex(
    SAFE_ABSOLUTE_PATH,
    'must be an absolute path made of letters, digits and . _ @ + - / only (no spaces, quotes, ;, {, }, $, # or newlines)',
  )
  .refine((path) => !path.split('/').includes('..'), 'must not contain ".." segments')
  .transform((path) => (path.length > 1 ? path.replace(/\/+$/, '') : path));

const port = z.number().int().min(1).max(65_535);

const host = z
  .string()
  .refine(
    (value) => HOST_NAME.test(value) || (isIP(value) !== 0 && IPV6_CHARS.test(value)),
    'must be an IPv4 address, an unbracketed IPv6 address or a host name',
  );

const seconds = (max: number) => z.number().int().min(1).max(max);

function isLoopback(value: string): boolean {
  if (value === 'localhost' || value === '::1') return true;
  return isIP(value) === 4 && value.startsWith('127.');
}

const originUrl = z.string().transform((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be an absolute http:// URL' });
    return z.NEVER;
  }
  const problems: string[] = [];
  // TLS to the origin is not wired (no proxy_ssl_* settings): the origin sits on the
  // private network next to the edges.
  if (url.protocol !== 'http:') problems.push('must use http://');
  if (url.username !== '' || url.password !== '') problems.push('must not carry credentials');
  // nginx upstream servers are host:port; a path prefix cannot be expressed there.
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    problems.push('must be a base URL without path, query or fragment');
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!HOST_NAME.test(hostname) && isIP(hostname) === 0) {
    problems.push('must name a plain host name or IP address');
  }
  if (problems.length > 0) {
    ctx.addIssue({ code: 'custom', message: problems.join('; ') });
    return z.NEVER;
  }
  return url.origin;
});

const signedUrlsSchema = z
  .strictObject({
    /** @defaultValue false */
    enabled: z.boolean().default(false),
    secret: edgeSecretSchema.optional(),
  })
  .refine((value) => !value.enabled || value.secret !== undefined, {
    message: 'is required when signed URLs are enabled',
    path: ['secret'],
  });

// Session links (docs/access-tokens.md): one signed query per viewer session, valid for
// every path under its scope. When enabled they replace the per-URL check of signedUrls.
const sessionLinksSchema = z
  .strictObject({
    /** @defaultValue false */
    enabled: z.boolean().default(false),
    /** The secret the rewriter signs session links with; may equal signedUrls.secret. */
    secret: edgeSecretSchema.optional(),
  })
  .refine((value) => !value.enabled || value.secret !== undefined, {
    message: 'is required when session links are enabled',
    path: ['secret'],
  });

/**
 * Characters an LL-HLS part location regex may hold. It is rendered inside double quotes
 * (`location ~ "<pattern>"`), so braces, `;` and `$` are plain text there; quotes, `#`,
 * whitespace and anything else are refused.
 */
const PART_PATTERN_CHARS = /^[A-Za-z0-9._/[\]()^$*+?|\\{},-]+$/;
// nginx's config reader turns these escapes into other characters, even inside quotes
// (ngx_conf_read_token in src/core/ngx_conf_file.c): `\\`, `\t`, `\r`, `\n`, `\"`, `\'`.
const NGINX_UNESCAPED = /\\[\\trn"']/;

const partPathPattern = z
  .string()
  .min(1)
  .max(200)
  .regex(PART_PATTERN_CHARS, 'may hold only letters, digits and . _ / [ ] ( ) ^ $ * + ? | \\ { } , -')
  .refine((value) => !NGINX_UNESCAPED.test(value), 'must not contain \\\\, \\t, \\r or \\n (nginx rewrites them)')
  .refine((value) => {
    try {
      new RegExp(value);
      return true;
    } catch {
      return false;
    }
  }, 'must be a valid regular expression');

// LL-HLS parts through the agent's loopback coalescer (nginx/README.md, "LL-HLS parts").
const partCoalescerSchema = z
  .strictObject({
    /** @defaultValue false */
    enabled: z.boolean().default(false),
    /** Loopback address the agent's coalescer listens on. @defaultValue '127.0.0.1' */
    host: host.refine(isLoopback, 'must be a loopback address (127.x.x.x, ::1 or localhost)').default('127.0.0.1'),
    /** Port of the coalescer; required when enabled. */
    port: port.optional(),
    /**
     * Request paths (nginx `location ~`, case-sensitive PCRE) sent through the coalescer.
     * Playlists never are: the `.m3u8` location is matched first.
     * @defaultValue '/part[0-9]+\\.m4s$'
     */
    pathPattern: partPathPattern.default('/part[0-9]+\\.m4s$'),
    /** Idle connections to the coalescer kept per worker. @defaultValue 64 */
    keepalive: z.number().int().min(1).max(1024).default(64),
  })
  .refine((value) => !value.enabled || value.port !== undefined, {
    message: 'is required when the part coalescer is enabled',
    path: ['port'],
  });

/**
 * Schema of the edge config options. Input fields with a default may be omitted;
 * see {@link EdgeConfigInput} for the meaning of each.
 */
export const edgeConfigSchema = z
  .strictObject({
    /** Names the edge in X-Edge-Id and in every access log line. */
    edgeId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, ".", "_" or "-"'),
    /** @defaultValue '0.0.0.0' */
    listenHost: host.default('0.0.0.0'),
    /** Port viewers connect to. */
    listenPort: port,
    /** Loopback-only address of stub_status and /healthz. @defaultValue '127.0.0.1' */
    statusHost: host.refine(isLoopback, 'must be a loopback address (127.x.x.x, ::1 or localhost)').default('127.0.0.1'),
    statusPort: port,
    /** Origin base URLs: the first is the primary, the others are backups. */
    origins: z.array(originUrl).min(1, 'must list at least one origin').max(16),
    /** Upper bound of origins tried per request. @defaultValue origins.length */
    originTries: z.number().int().min(1).max(16).optional(),
    /** @defaultValue 2 */
    originConnectTimeoutSeconds: seconds(60).default(2),
    /** Idle keepalive connections kept per worker to the origins. @defaultValue 16 */
    upstreamKeepalive: z.number().int().min(1).max(1024).default(16),
    cacheDir: absolutePath,
    /** nginx size: digits with k, m or g. @defaultValue '1g' */
    cacheMaxSize: z.string().regex(DISK_SIZE, 'must be an nginx size such as 512m or 10g').default('1g'),
    /** Free disk space the cache manager keeps (nginx >= 1.19.1). @defaultValue unset */
    cacheMinFree: z.string().regex(DISK_SIZE, 'must be an nginx size such as 512m or 10g').optional(),
    /** Shared-memory zone for keys; 1m holds about 8000 keys. @defaultValue '32m' */
    keysZoneSize: z.string().regex(ZONE_SIZE, 'must be an nginx size with k or m, such as 32m').default('32m'),
    /** Entries not requested for this long are removed even if fresh. @defaultValue 86400 */
    cacheInactiveSeconds: seconds(365 * 86_400).default(86_400),
    /** @defaultValue 1 */
    playlistTtlSeconds: seconds(3600).default(1),
    /** @defaultValue 604800 (7 days) */
    segmentTtlSeconds: seconds(365 * 86_400).default(7 * 86_400),
    /** Must exceed the slowest origin response. @defaultValue 10 */
    lockTimeoutSeconds: seconds(600).default(10),
    /** @defaultValue \{ enabled: false \} */
    signedUrls: signedUrlsSchema.default({ enabled: false }),
    /**
     * Require a valid session query (hs_sid, hs_exp, hs_scope, hs_ip, hs_sig) on playlists
     * and segments; takes precedence over signedUrls. @defaultValue \{ enabled: false \}
     */
    sessionLinks: sessionLinksSchema.default({ enabled: false }),
    /**
     * Send LL-HLS parts (and hinted parts, which the origin holds until they exist) through
     * the agent's loopback coalescer instead of nginx's cache lock, whose waiters poll every
     * 500 ms. @defaultValue \{ enabled: false \}
     */
    partCoalescer: partCoalescerSchema.prefault({}),
    /** @defaultValue `${prefixDir}/access.log` */
    accessLogPath: absolutePath.optional(),
    /** 'stderr' or an absolute file path. @defaultValue 'stderr' */
    errorLog: z.union([z.literal('stderr'), absolutePath]).default('stderr'),
    /** @defaultValue 'warn' */
    errorLogLevel: z.enum(['debug', 'info', 'notice', 'warn', 'error', 'crit']).default('warn'),
    /** @defaultValue 1 */
    workerProcesses: z.union([z.number().int().min(1).max(64), z.literal('auto')]).default(1),
    /** @defaultValue 1024 */
    workerConnections: z.number().int().min(16).max(65_535).default(1024),
    /** Bound on a graceful (SIGQUIT) stop. @defaultValue 30 */
    shutdownTimeoutSeconds: seconds(3600).default(30),
    /** Directory passed to `nginx -p`: pid, lock and temp files live here. */
    prefixDir: absolutePath,
    /** Worker user; set it when nginx runs as root. @defaultValue unset */
    user: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/, 'must be a plain user name')
      .optional(),
  })
  .superRefine((value, ctx) => {
    if (value.listenPort === value.statusPort) {
      ctx.addIssue({ code: 'custom', message: 'must differ from listenPort', path: ['statusPort'] });
    }
  })
  .transform((value) => ({
    ...value,
    accessLogPath: value.accessLogPath ?? `${value.prefixDir}/access.log`,
    originTries: value.originTries ?? value.origins.length,
  }));

/** Options as a caller writes them (defaults may be omitted). */
export type EdgeConfigInput = z.input<typeof edgeConfigSchema>;
/** Validated options with every default filled in. */
export type EdgeConfigOptions = z.output<typeof edgeConfigSchema>;

export interface EdgeConfigIssue {
  /** Dotted path of the bad field, e.g. `signedUrls.secret` or `origins[1]`. */
  readonly field: string;
  readonly message: string;
}

export interface EdgeConfigError {
  readonly code: 'invalid_edge_config';
  /** Names every bad field. */
  readonly message: string;
  readonly issues: readonly EdgeConfigIssue[];
}

export type EdgeConfigParseResult =
  { readonly ok: true; readonly value: EdgeConfigOptions } | { readonly ok: false; readonly error: EdgeConfigError };

/** Validates `input` and fills defaults; never throws. */
export function parseEdgeConfigOptions(input: unknown): EdgeConfigParseResult {
  const parsed = edgeConfigSchema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.flatMap(toIssues);
  const message = `invalid edge config: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`;
  return { ok: false, error: { code: 'invalid_edge_config', message, issues } };
}

function toIssues(issue: z.core.$ZodIssue): EdgeConfigIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      field: formatPath([...issue.path, key]),
      message: 'is not a known option',
    }));
  }
  return [{ field: formatPath(issue.path), message: issue.message }];
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(options)' : out;
}

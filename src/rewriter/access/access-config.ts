/**
 * The `access` configuration section: whether the rewriter requires a viewer token on
 * master playlists, which secrets sign tokens and sessions, and how sessions are bound.
 * Exported on its own; the global configuration composes it.
 */
import { z } from 'zod';
import { secretRegistry, secretString } from '../../core/config/index.js';
import { EDGE_SECRET_PATTERN, SESSION_LINK_PARAMS } from '../../edge/index.js';

const MIN_SECRET_LENGTH = 16;
// A list of secrets: redacted as a whole, like every secret of the configuration.
const previousSecrets = z.array(z.string().min(MIN_SECRET_LENGTH));
secretRegistry.add(previousSecrets, { secret: true });

const SESSION_PARAM_NAMES: readonly string[] = Object.values(SESSION_LINK_PARAMS);

export const accessSchema = z
  .object({
    /** Require a viewer token on master playlist requests. @defaultValue false */
    enabled: z.boolean().default(false),
    /**
     * Signs viewer tokens (HMAC-SHA256) and session links. The edges hold it too
     * (sessionLinks.secret) inside nginx config text, hence the character set.
     */
    secret: secretString((s) =>
      s
        .min(MIN_SECRET_LENGTH)
        .regex(EDGE_SECRET_PATTERN, 'letters, digits and . _ ~ + / = : @ % ! * , ^ - only (the edges hold it in nginx config)'),
    ).optional(),
    /** Earlier secrets whose tokens are still accepted during a key rotation; never used to sign. */
    previousSecrets: previousSecrets.default([]),
    /** Query parameter carrying the viewer token. @defaultValue 'token' */
    tokenParam: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "." and "-", up to 64')
      .refine((name) => !SESSION_PARAM_NAMES.includes(name), 'must not be one of the session parameters (hs_*)')
      .default('token'),
    /** Longest life of a session opened by a token; it never outlives the token. @defaultValue 3600 */
    sessionTtlSec: z.int().min(60).max(86_400).default(3600),
    /** Bind sessions to the client IP seen by the rewriter (edges must see the same address). @defaultValue false */
    bindIp: z.boolean().default(false),
  })
  .refine((value) => !value.enabled || value.secret !== undefined, {
    // From a file: HLSCDN_ACCESS_SECRET_FILE, as every secret of the configuration.
    message: 'is required when access control is enabled (HLSCDN_ACCESS_SECRET or HLSCDN_ACCESS_SECRET_FILE)',
    path: ['secret'],
  });

export type AccessConfig = z.infer<typeof accessSchema>;
export type AccessConfigInput = z.input<typeof accessSchema>;

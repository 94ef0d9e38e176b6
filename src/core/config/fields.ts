/** Field schemas every configuration section uses, so a port or a listen address means the same everywhere. */
import { z } from 'zod';

export const portSchema = z.int().min(0).max(65535);
/** A listen address; sections default it to loopback. */
export const hostSchema = z.string().min(1);

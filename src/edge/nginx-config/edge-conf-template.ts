/**
 * The edge nginx config template. nginx/edge.conf.template is the only copy, the one
 * operators read and review; it is read once when this module loads, so rendering
 * itself stays pure. The path is the same from src/ and from dist/ (both sit beside nginx/).
 * Syntax of {{...}}: see fill-template.ts.
 */
import { readFileSync } from 'node:fs';

export const EDGE_CONF_TEMPLATE_URL = new URL('../../../nginx/edge.conf.template', import.meta.url);
export const EDGE_CONF_TEMPLATE = readFileSync(EDGE_CONF_TEMPLATE_URL, 'utf8');

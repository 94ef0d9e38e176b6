/**
 * HTTP: the rewriter's server, its Hono app and the hot-answer fast path, and
 * what a request is read as (parameters) and answered with (playlist headers,
 * player page). What the component's surface uses.
 */
export { createRewriterApp, HLS_SCRIPT_PATH, type RewriterAppOptions } from './rewriter-app.js';
export { HotAnswers, type HotAnswer, type HotAnswersOptions } from './hot-answers.js';
export { PLAYLIST_CONTENT_TYPE } from './playlist-headers.js';
export { STEERING_PATH } from './playlist-responder.js';
export { renderPlayerPage, type PlayerPageOptions } from './player-page.js';
export { MODE_PARAM, PATHWAY_PARAM, readBlockingReload, type BlockingReload } from './request-params.js';
export { startRewriter, type RewriterFleetOptions, type RunningRewriter, type StartRewriterOptions } from './rewriter-service.js';

// Public surface of the ingest hooks.
export { isAuthorizedPublish, parseSrsHook, taskForPublish, taskIdForStream } from './srs-hook.js';
export type { SrsHookEvent, SrsTaskOptions } from './srs-hook.js';
export { mountSrsHooks } from './srs-routes.js';
export type { SrsHooksOptions } from './srs-routes.js';

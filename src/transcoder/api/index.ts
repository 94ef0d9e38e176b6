// Public surface of the control API.
export { createControlApp } from './control-app.js';
export type { ControlAppOptions } from './control-app.js';
export { startControlService } from './control-service.js';
export type { ControlServiceOptions, RunningControlService } from './control-service.js';
export { bearerAuth } from './bearer-auth.js';

/** The dashboard served by the local stack: fleet (with each edge's health), load and edge-count charts with autoscaler decisions, tasks, player links. */
export { startDashboard, type DashboardServiceOptions } from './dashboard-service.js';
export { createDashboardApp, type DashboardSources, type TaskRow } from './dashboard-app.js';
export { FleetHistory, sampleFleet, type FleetSample, type DecisionMark } from './fleet-history.js';

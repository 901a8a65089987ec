/** Check-ins (issue 5): the model shared by the web app and the server. See README.md. */
export * from './schema.js';
export * from './items.js';
export * from './defaults.js';
export * from './stats.js';
export * from './days.js';
export * from './periods.js';
export * from './insights.js';
export * from './watch.js';
export * from './words.js';

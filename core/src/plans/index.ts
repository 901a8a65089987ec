/** Plans (issue 4): the model shared by the web app and the server. See README.md. */
export * from './schema.js';
export * from './templates.js';
export * from './ops.js';
export * from './items.js';
export * from './versions.js';
export * from './exchange.js';
export * from './essentials.js';

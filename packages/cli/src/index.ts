export { DEFAULT_TIMEOUT_MS, InspectUsageError, inspect } from './inspect.js';
export { CLI_ERROR_CODES } from './errors.js';
export type { CliErrorCode } from './errors.js';
export type * from './types.js';
export { renderJson } from './render/json.js';
export { renderText } from './render/text.js';
export type { Style } from './render/style.js';
export { main, EXIT } from './main.js';
export type { MainIo } from './main.js';

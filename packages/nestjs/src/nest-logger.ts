import { Logger, type LogLevel } from '@nestjs/common';
import type { PrmkitLogger } from '@prmkit/core';

const logger = new Logger('prmkit');

/** Nest's `Logger` (context `prmkit`) as the core's logger: the module's default. */
export const nestLogger: PrmkitLogger = {
  warn: (fields, message) => logger.warn({ message, ...fields }),
  info: (fields, message) => logger.log({ message, ...fields }),
  debug: (fields, message) => logger.debug({ message, ...fields }),
  isLevelEnabled: (level) => Logger.isLevelEnabled(level as LogLevel),
};

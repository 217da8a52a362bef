import { All, Controller, Req, Res } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import type { AuthInfo } from '@prmkit/core';
import type { NodeMcpServe } from '@prmkit/example-tools';
import type { Request, Response } from 'express';

/**
 * A controller serving the MCP endpoint at `path` (the resource's path, so it is built
 * at runtime). `PrmkitGuard` runs first (global guard), with the body Nest already
 * parsed, so `req.auth` is set here; `@Res()` leaves the response to the SDK.
 */
export function mcpController(path: string, serve: NodeMcpServe): Type<unknown> {
  @Controller()
  class McpController {
    @All(path)
    async handle(@Req() req: Request & { auth?: AuthInfo }, @Res() res: Response): Promise<void> {
      if (req.auth === undefined) throw new Error('unreachable: PrmkitGuard passed without auth');
      await serve(req, res, req.auth, req.body as unknown);
    }
  }
  return McpController;
}

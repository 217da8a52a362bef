import { workspaceProject } from '../../vitest.shared.ts';

export default workspaceProject('gateway-server', { testTimeout: 60_000, hookTimeout: 30_000 });

import { workspaceProject } from '../../vitest.shared.ts';

export default workspaceProject('gateway', { testTimeout: 30_000, hookTimeout: 30_000 });

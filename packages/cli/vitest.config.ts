import { workspaceProject } from '../../vitest.shared.ts';

export default workspaceProject('cli', { testTimeout: 30_000, hookTimeout: 120_000 });

import { workspaceProject } from '../../vitest.shared.ts';

export default workspaceProject('runtimes', { testTimeout: 60_000, hookTimeout: 60_000 });

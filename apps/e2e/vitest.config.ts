import { workspaceProject } from '../../vitest.shared.ts';

export default workspaceProject('e2e', { testTimeout: 30_000, hookTimeout: 30_000 });

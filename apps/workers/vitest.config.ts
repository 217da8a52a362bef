import { workspaceProject } from '../../vitest.shared.ts';

export default workspaceProject('workers', { testTimeout: 60_000, hookTimeout: 60_000 });

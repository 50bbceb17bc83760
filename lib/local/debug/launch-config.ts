// The VS Code launch.json entry that attaches to a function started with --debug-port.
import { DebugLanguage } from './debug-plan';
import { TASK_ROOT } from './task-root-source';

export function launchConfiguration(o: { language: DebugLanguage; port: number; name: string; localRoot: string }): object {
  const name = `Attach to ${o.name}`;
  switch (o.language) {
    case 'node':
      return { name, type: 'node', request: 'attach', address: 'localhost', port: o.port, localRoot: o.localRoot, remoteRoot: TASK_ROOT, skipFiles: ['<node_internals>/**'] };
    case 'python':
      return { name, type: 'debugpy', request: 'attach', connect: { host: 'localhost', port: o.port }, pathMappings: [{ localRoot: o.localRoot, remoteRoot: TASK_ROOT }] };
    case 'java':
      // VS Code's Java debugger (vscode-java-debug) finds classes by name; sourcePaths is where their sources are.
      return { name, type: 'java', request: 'attach', hostName: 'localhost', port: o.port, sourcePaths: [o.localRoot] };
  }
}

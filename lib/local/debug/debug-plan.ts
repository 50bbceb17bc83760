// How a debugger gets into a function's container, per language: everything is added when the container
// starts (environment, a published port, a read-only mount), so the image stays the one that deploys.
import * as fs from 'fs';
import * as path from 'path';
import { EnvMap } from '../functions/environment';

/** What the sandbox adds to `docker run` for a debugger. */
export interface SandboxDebug {
  readonly env: EnvMap;
  readonly runArgs: readonly string[];
  readonly language: DebugLanguage;
  readonly port: number;
}

export type DebugLanguage = 'node' | 'python' | 'java';

export interface DebugRequest {
  readonly language: DebugLanguage | undefined;
  /** What the language was read from, for the "not supported" message. */
  readonly found: string;
  readonly port: number;
  /** `--debugger-path`: a directory holding the `debugpy` package, for images without one. */
  readonly debuggerPath?: string;
  /** The function, for messages. */
  readonly path: string;
  /** Java: the JVM's major version, when known (Java 8's JDWP takes `address=PORT`, later ones `address=*:PORT`). */
  readonly javaMajor?: number;
}

/** Where `--debugger-path` is mounted inside the container. */
export const DEBUGGER_MOUNT = '/opt/ccf-debugger';
/** The exec wrapper (AWS_LAMBDA_EXEC_WRAPPER) that starts the Python runtime under debugpy. */
export const PYTHON_WRAPPER = `${DEBUGGER_MOUNT}-wrapper/debugpy-wrapper`;

/** The port is published on loopback only: a debugger runs any code it likes in the function. */
function publish(port: number): string[] {
  return ['-p', `127.0.0.1:${port}:${port}`];
}

export function debugPlan(r: DebugRequest, wrapperDir: string): SandboxDebug {
  if (!Number.isInteger(r.port) || r.port < 1 || r.port > 65535) throw new Error(`--debug-port ${r.port}: give a TCP port from 1 to 65535.`);
  switch (r.language) {
    case 'node':
      // The runtime waits for the debugger before its first line, so breakpoints in the handler's init code hit too.
      return { language: 'node', port: r.port, env: { NODE_OPTIONS: `--inspect-brk=0.0.0.0:${r.port}` }, runArgs: publish(r.port) };
    case 'java':
      return {
        language: 'java',
        port: r.port,
        // Java 9 and later listen on loopback only for a bare port, so all interfaces need `*:`; Java 8 does not know
        // `*` and listens on all interfaces for a bare port.
        env: { JAVA_TOOL_OPTIONS: `-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=${r.javaMajor !== undefined && r.javaMajor <= 8 ? '' : '*:'}${r.port}` },
        runArgs: publish(r.port),
      };
    case 'python': {
      const mounts: string[] = ['-v', `${wrapperDir}:${DEBUGGER_MOUNT}-wrapper:ro`];
      const env: EnvMap = { AWS_LAMBDA_EXEC_WRAPPER: PYTHON_WRAPPER, CCF_DEBUG_PORT: String(r.port) };
      if (r.debuggerPath) {
        const dir = path.resolve(r.debuggerPath);
        if (!fs.existsSync(path.join(dir, 'debugpy'))) {
          throw new Error(`--debugger-path ${r.debuggerPath}: no debugpy package in it. Install one there: pip install --target ${r.debuggerPath} debugpy (or point at Debian's /usr/lib/python3/dist-packages).`);
        }
        mounts.push('-v', `${dir}:${DEBUGGER_MOUNT}:ro`);
        env.CCF_DEBUGGER_PATH = DEBUGGER_MOUNT;
      }
      return { language: 'python', port: r.port, env, runArgs: [...publish(r.port), ...mounts] };
    }
    default:
      throw new Error(`${r.path}: --debug-port supports Node.js, Python and Java functions; this image looks like ${r.found}. ` +
        'To debug it, start its runtime under your debugger by hand (e.g. an ENTRYPOINT override in a debug-only Dockerfile stage) and publish the port.');
  }
}

/**
 * The Python exec wrapper: Lambda's bootstrap runs `$AWS_LAMBDA_EXEC_WRAPPER python3 <runtime client> ...`; this
 * runs the same command as `python3 -m debugpy --listen 0.0.0.0:PORT --wait-for-client <runtime client> ...`,
 * with the user's debugpy directory on the path when they gave one.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-modify.html#runtime-wrapper
 */
export const PYTHON_WRAPPER_SCRIPT = `#!/bin/sh
# Written by cdk-container-function for --debug-port: runs the Python runtime under debugpy.
if [ -n "$CCF_DEBUGGER_PATH" ]; then export PYTHONPATH="$CCF_DEBUGGER_PATH\${PYTHONPATH:+:$PYTHONPATH}"; fi
python="$1"; shift
exec "$python" -m debugpy --listen "0.0.0.0:$CCF_DEBUG_PORT" --wait-for-client "$@"
`;

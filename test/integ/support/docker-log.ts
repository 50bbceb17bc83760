// A Docker client that logs every call and runs the real one: point CDK_DOCKER at it to count what a tool asks of
// the engine (a build, an image inspection) while it serves.
import * as fs from 'fs';
import * as path from 'path';
import { DOCKER } from './docker';

export interface DockerLog {
  /** The wrapper script, for CDK_DOCKER. */
  readonly client: string;
  /** Every call so far, its arguments joined by spaces, oldest first. */
  calls(): string[];
}

export function loggingDockerClient(dir: string): DockerLog {
  const log = path.join(dir, 'docker-calls.log');
  const client = path.join(dir, 'docker-logged');
  fs.writeFileSync(client, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${DOCKER}' "$@"\n`, { mode: 0o755 });
  return { client, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : []) };
}

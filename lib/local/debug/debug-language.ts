// Which language runtime an image runs, read from the image itself (one short container, only with --debug-port):
// the runtime bootstrap names its interpreter; else AWS's Java runtime interface client in the runtime directory;
// else the one interpreter the image has.
import { DebugLanguage } from './debug-plan';
import { runDocker } from '../../docker';

const PROBE = [
  'r="${LAMBDA_RUNTIME_DIR:-/var/runtime}"',
  'b=$(cat "$r/bootstrap" 2>/dev/null)',
  'for l in node python java; do case "$b" in *$l*) echo "bootstrap $l";; esac; done',
  // AWS's Java images start the runtime client from its jars in /var/runtime/lib (the JVM in /var/lang, on the PATH).
  'for j in "$r"/lib/aws-lambda-java-runtime-interface-client*.jar; do [ -f "$j" ] && echo "runtime java"; break; done',
  'for c in node python3; do command -v $c >/dev/null 2>&1 && echo "has $c"; done',
  '{ command -v java >/dev/null 2>&1 || { [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; }; } && echo "has java"',
  // The JVM's version line (JDWP's address syntax changed after Java 8); shell builtins only.
  'j=$(command -v java 2>/dev/null || echo "$JAVA_HOME/bin/java")',
  '[ -x "$j" ] && "$j" -version 2>&1 | while read -r l; do echo "java-version $l"; break; done',
  'true',
].join('\n');

export interface ImageLanguage {
  readonly language?: DebugLanguage;
  readonly found: string;
  /** The JVM's major version (8 for `1.8.0_392`, 17 for `17.0.15`), when the image has one. */
  readonly javaMajor?: number;
}

export async function debugLanguageOf(image: string): Promise<ImageLanguage> {
  const r = await runDocker(['run', '--rm', '--network', 'none', '--entrypoint', '/bin/sh', image, '-c', PROBE], { allowFailure: true });
  if (r.code !== 0) return { found: `an image without /bin/sh (${r.stderr.trim().split('\n').pop()})` };
  return languageFromProbe(r.stdout);
}

/**
 * Reads the probe's output: `bootstrap <lang>` lines win; then `runtime java` (AWS's Java runtime client, whose
 * image may have no bootstrap script naming java); else exactly one interpreter present.
 */
export function languageFromProbe(output: string): ImageLanguage {
  const lines = output.split('\n').map(l => l.trim()).filter(Boolean);
  const javaMajor = javaMajorOf(lines.find(l => l.startsWith('java-version ')));
  return { ...languageOf(lines), ...(javaMajor !== undefined ? { javaMajor } : {}) };
}

/** `openjdk version "1.8.0_392"` → 8; `openjdk version "17.0.15" 2025-04-15` → 17; `java version "21"` → 21. */
function javaMajorOf(line: string | undefined): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(line ?? '');
  if (!m) return undefined;
  const first = Number(m[1]);
  return first === 1 && m[2] !== undefined ? Number(m[2]) : first;
}

function languageOf(lines: readonly string[]): { language?: DebugLanguage; found: string } {
  const named = lines.filter(l => l.startsWith('bootstrap ')).map(l => l.slice('bootstrap '.length) as DebugLanguage);
  if (named.length === 1) return { language: named[0], found: `a ${named[0]} runtime bootstrap` };
  if (lines.includes('runtime java')) return { language: 'java', found: 'AWS\'s Java runtime interface client' };
  const present = lines.filter(l => l.startsWith('has ')).map(l => l.slice('has '.length));
  const byCommand: { [c: string]: DebugLanguage } = { node: 'node', python3: 'python', java: 'java' };
  if (present.length === 1) return { language: byCommand[present[0]], found: `an image with ${present[0]}` };
  return { found: present.length ? `an image with ${present.join(', ')} and no bootstrap naming one` : 'an image with none of node, python3 or java' };
}

import * as fs from 'fs';
import * as path from 'path';
import { BaseImageFamily } from './base-image';
import { DetectedProject, InstallTool } from './project';

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
const SHAPES: { [family: string]: { pattern: RegExp; example: string } } = {
  [BaseImageFamily.PYTHON]: { pattern: new RegExp(`^${IDENT}(\\.${IDENT})+$`), example: 'app.lambda_handler' },
  [BaseImageFamily.NODEJS]: { pattern: /^(?!\/)(?!.*\.\.\/)[A-Za-z0-9_@\-/.]*[A-Za-z0-9_-]\.[A-Za-z_$][A-Za-z0-9_$]*$/, example: 'index.handler' },
  [BaseImageFamily.JAVA]: { pattern: /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*(::[A-Za-z_$][\w$]*)?$/, example: 'com.example.Handler::handleRequest' },
  [BaseImageFamily.PROVIDED]: { pattern: /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, example: 'bootstrap' },
};

export interface HandlerCheck {
  readonly directory: string;
  /** Directory as the user wrote it, for messages. */
  readonly displayDirectory: string;
  readonly family: BaseImageFamily;
  readonly runtimeName: string;
  readonly handler: string;
  readonly project: DetectedProject;
  readonly hasBuildCommand: boolean;
  readonly isExcluded: (p: string) => boolean;
}

/**
 * Checks the handler's shape for the base and that the file it names is in the source.
 * Throws an Error (message without the construct path) that says the fix.
 */
export function validateHandler(c: HandlerCheck): void {
  const shape = SHAPES[c.family];
  if (!shape.pattern.test(c.handler)) {
    throw new Error(`handler "${c.handler}" does not fit a ${c.runtimeName} base, which expects the form "${shape.example}". `
      + 'Fix the handler or choose the base of the language it is written in.');
  }
  const exists = (p: string) => !c.isExcluded(p) && fs.existsSync(path.join(c.directory, p));
  const need = (candidates: string[]) => {
    if (candidates.some(exists)) return;
    const what = candidates.length === 1 ? candidates[0] : candidates.slice(0, -1).join(', ') + ' or ' + candidates[candidates.length - 1];
    throw new Error(`handler ${c.handler} needs ${what} in ${c.displayDirectory}. Add the file or fix the handler.`);
  };

  switch (c.family) {
    case BaseImageFamily.PYTHON: {
      if (c.hasBuildCommand) return; // the build may generate the module
      const module = c.handler.slice(0, c.handler.lastIndexOf('.')).split('.').join('/');
      need([`${module}.py`, `${module}/__init__.py`]);
      return;
    }
    case BaseImageFamily.NODEJS: {
      if (c.hasBuildCommand) return; // e.g. TypeScript compiled to a buildOutput the source does not have yet
      const file = c.handler.slice(0, c.handler.lastIndexOf('.'));
      if (['.ts', '.mts', '.cts'].some(ext => exists(file + ext))) {
        throw new Error(`handler ${c.handler} is TypeScript (${file}.ts) but no buildCommand compiles it. `
          + "Add buildCommand (e.g. 'npx tsc') and buildOutput, or point the handler at JavaScript.");
      }
      need(['.js', '.mjs', '.cjs'].map(ext => file + ext));
      return;
    }
    case BaseImageFamily.JAVA: {
      const cls = c.handler.split('::')[0].split('.').join('/');
      need([`src/main/java/${cls}.java`, `src/main/kotlin/${cls}.kt`]);
      return;
    }
    case BaseImageFamily.PROVIDED: {
      if (c.project.tool === InstallTool.GO || c.project.tool === InstallTool.CARGO || c.hasBuildCommand) return;
      need([c.handler]);
      return;
    }
  }
}

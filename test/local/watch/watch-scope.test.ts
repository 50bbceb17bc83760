import * as fs from 'fs';
import * as path from 'path';
import { AppFunction } from '../../../lib/assembly';
import { watchScope } from '../../../lib/local/watch/watch-scope';
import { tempDir } from '../../support/temp-dir';

const write = (file: string, text: string) => { fs.mkdirSync(path.dirname(file), { recursive: true }); fs.writeFileSync(file, text); };

/** A function built from the staged asset directory `cdk.out/<dir>`, as read-app.ts describes it. */
const assetFunction = (app: string, fnPath: string, dir: string) => ({
  path: fnPath,
  image: { kind: 'asset', asset: { id: dir, source: { directory: dir }, baseDirectory: path.join(app, 'cdk.out'), imageTags: [] } },
}) as unknown as AppFunction;

describe('watchScope: what --watch looks at and which edits matter', () => {
  let app: string;
  let fnDir: string;

  beforeEach(() => {
    app = tempDir('ccf-watch-scope-');
    fnDir = path.join(app, 'functions', 'greeter');
    write(path.join(fnDir, 'Dockerfile'), 'FROM base\nCOPY . /var/task/\n');
    write(path.join(fnDir, '.dockerignore'), 'notes.md\n**/*.log\nDockerfile\n');
    write(path.join(fnDir, 'index.js'), 'x');
    write(path.join(fnDir, 'notes.md'), 'n');
    write(path.join(fnDir, 'secret.txt'), 'left out by exclude');
    // CDK's staged copy: the .dockerignore'd and excluded files are not there.
    const staged = path.join(app, 'cdk.out', 'asset.abc');
    for (const f of ['Dockerfile', '.dockerignore', 'index.js']) write(path.join(staged, f), fs.readFileSync(path.join(fnDir, f), 'utf8'));
    write(path.join(app, 'app.js'), 'app');
  });

  test('a build context: the user\'s directory; .dockerignore and exclude honoured; Dockerfile and .dockerignore always count', () => {
    const scope = watchScope([assetFunction(app, 'S/Greeter', 'asset.abc')], { appDirectory: app, assemblyDirectory: path.join(app, 'cdk.out') });
    expect(scope.contexts.map(c => [c.directory, c.functions])).toEqual([[fnDir, ['S/Greeter']]]);
    expect(scope.roots).toEqual([app]);
    const ctx = (f: string, e: 'add' | 'change' | 'unlink' = 'change') => scope.classify(path.join(fnDir, f), e);
    expect(ctx('index.js')).toEqual({ contexts: [scope.contexts[0]] });
    expect(ctx('notes.md')).toBeUndefined();
    expect(ctx('sub/debug.log', 'add')).toBeUndefined();
    expect(ctx('Dockerfile')).toBeDefined();
    expect(ctx('.dockerignore')).toBeDefined();
    // Left out of the staged copy by `exclude`: an edit does nothing; a new file counts (it may be needed).
    expect(ctx('secret.txt')).toBeUndefined();
    expect(ctx('new.js', 'add')).toBeDefined();
    // The app's own source, elsewhere: re-synthesizes. Its assembly, dependencies and dot files do not.
    expect(scope.classify(path.join(app, 'app.js'), 'change')).toBe('app');
    expect(scope.classify(path.join(app, 'cdk.out', 'asset.abc', 'index.js'), 'change')).toBeUndefined();
    expect(scope.classify(path.join(app, 'node_modules', 'x', 'index.js'), 'change')).toBeUndefined();
    expect(scope.classify(path.join(app, '.git', 'HEAD'), 'change')).toBeUndefined();
    expect(scope.classify(path.join(path.dirname(app), 'elsewhere.js'), 'change')).toBeUndefined();
    expect(scope.prune(path.join(app, 'cdk.out'))).toBe(true);
    expect(scope.prune(path.join(app, 'node_modules'))).toBe(true);
    expect(scope.prune(path.join(fnDir, 'notes.md'))).toBe(true);
    expect(scope.prune(fnDir)).toBe(false);
  });

  test('cdk.json "watch" include/exclude decide what app source is, as for cdk watch', () => {
    write(path.join(app, 'lib', 'stack.ts'), 's');
    write(path.join(app, 'lib', 'stack.d.ts'), 's');
    write(path.join(app, 'README.md'), 'r');
    const scope = watchScope([], { appDirectory: app, config: { include: ['lib/**/*.ts', 'app.js'], exclude: ['**/*.d.ts'] } });
    expect(scope.classify(path.join(app, 'lib', 'stack.ts'), 'change')).toBe('app');
    expect(scope.classify(path.join(app, 'app.js'), 'change')).toBe('app');
    expect(scope.classify(path.join(app, 'lib', 'stack.d.ts'), 'change')).toBeUndefined();
    expect(scope.classify(path.join(app, 'README.md'), 'change')).toBeUndefined();
  });

  test('negated patterns: an ignored directory is still watched (a file below it may count)', () => {
    write(path.join(fnDir, '.dockerignore'), 'src\n!src/keep.js\n');
    write(path.join(app, 'cdk.out', 'asset.abc', '.dockerignore'), 'src\n!src/keep.js\n');
    const scope = watchScope([assetFunction(app, 'S/Greeter', 'asset.abc')], { appDirectory: app });
    expect(scope.prune(path.join(fnDir, 'src'))).toBe(false);
    expect(scope.classify(path.join(fnDir, 'src', 'keep.js'), 'add')).toBeDefined();
    expect(scope.classify(path.join(fnDir, 'src', 'other.js'), 'add')).toBeUndefined();
  });

  test('a context outside the app directory is a root of its own; an untraceable copy is reported', () => {
    const outside = tempDir('ccf-watch-outside-');
    write(path.join(outside, 'Dockerfile'), 'FROM other\n');
    write(path.join(app, 'cdk.out', 'asset.def', 'Dockerfile'), 'FROM other\n');
    write(path.join(app, 'cdk.out', 'asset.zzz', 'Dockerfile'), 'FROM nowhere\n');
    const fns = [assetFunction(app, 'S/Out', 'asset.def'), assetFunction(app, 'S/Lost', 'asset.zzz')];
    const inApp = watchScope(fns, { appDirectory: app });
    expect(inApp.untraced.map(u => u.functions)).toEqual([['S/Out'], ['S/Lost']]);
    // Found when the search reaches it (here: the app directory is its parent).
    const scope = watchScope(fns, { appDirectory: path.dirname(outside) });
    expect(scope.contexts.map(c => c.directory)).toContain(outside);
  });
});

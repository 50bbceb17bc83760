import * as fs from 'fs';
import * as path from 'path';
import { LocalFunction } from '../../../lib/local/functions/local-function';
import { SeenEdit, contentOnlyPlan } from '../../../lib/local/watch/content-rebuild';
import { ContextScope } from '../../../lib/local/watch/watch-scope';
import { tempDir } from '../../support/temp-dir';

describe('contentOnlyPlan: which edits are served without a synth', () => {
  let user: string;
  let staged: string;
  let context: ContextScope;
  let fn: LocalFunction;

  beforeEach(() => {
    user = tempDir('ccf-content-user-');
    staged = tempDir('ccf-content-staged-');
    for (const dir of [user, staged]) {
      fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM x\n');
      fs.writeFileSync(path.join(dir, 'index.js'), 'x');
      fs.writeFileSync(path.join(dir, '.dockerignore'), 'notes.md');
    }
    context = { directory: user, staged, functions: ['S/Fn'], canPrune: true, generated: false, ignores: () => false };
    fn = { spec: { path: 'S/Fn' }, o: { buildContext: { directory: staged, dockerfile: 'Dockerfile' } } } as unknown as LocalFunction;
  });

  const edit = (file: string, event: SeenEdit['event'] = 'change', c: ContextScope = context): SeenEdit =>
    ({ file: path.join(user, file), event, change: { contexts: [c] } });

  test('changed contents of files the last context holds: that function, those files', () => {
    const plan = contentOnlyPlan([edit('index.js'), edit('Dockerfile')], [fn]);
    expect([...plan!.entries()].map(([f, p]) => [f, p.files])).toEqual([[fn, ['index.js', 'Dockerfile']]]);
  });

  test.each([
    ['a file added', () => [edit('new.js', 'add')]],
    ['a file removed', () => [edit('index.js', 'unlink')]],
    ['the .dockerignore (it decides what is staged)', () => [edit('.dockerignore')]],
    ['a file the last context does not hold', () => [edit('other.js')]],
  ])('a synth is needed: %s', (_what, edits) => {
    expect(contentOnlyPlan(edits(), [fn])).toBeUndefined();
  });

  test('a synth is needed: a link on the way, in the user\'s context or in the last one (a copy never writes through it)', () => {
    const outside = tempDir('ccf-content-outside-');
    fs.writeFileSync(path.join(outside, 'lib.js'), 'outside');
    // The staged copy holds `lib` as a link (CDK stages links as they are): copying the edit in would write outside.
    fs.symlinkSync(outside, path.join(staged, 'lib'));
    fs.mkdirSync(path.join(user, 'lib'));
    fs.writeFileSync(path.join(user, 'lib', 'lib.js'), 'edited');
    expect(contentOnlyPlan([edit('lib/lib.js')], [fn])).toBeUndefined();
    // The user's file became a link to a file elsewhere.
    fs.rmSync(path.join(user, 'index.js'));
    fs.symlinkSync(path.join(outside, 'lib.js'), path.join(user, 'index.js'));
    expect(contentOnlyPlan([edit('index.js')], [fn])).toBeUndefined();
    expect(fs.readFileSync(path.join(outside, 'lib.js'), 'utf8')).toBe('outside');
  });

  test('a synth is needed: an app source edit among them, or a generated (fromSource) context', () => {
    expect(contentOnlyPlan([edit('index.js'), { file: '/app/app.ts', event: 'change', change: 'app' }], [fn])).toBeUndefined();
    expect(contentOnlyPlan([edit('index.js', 'change', { ...context, generated: true })], [fn])).toBeUndefined();
  });

  test('a context no served function is built from: nothing to do', () => {
    expect(contentOnlyPlan([edit('index.js', 'change', { ...context, functions: ['S/Other'] })], [fn])).toBeUndefined();
  });
});

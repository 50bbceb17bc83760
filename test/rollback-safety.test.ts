import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ContainerFunction, ContainerImage } from '../lib';
import { TempGitRepo, functionFiles, withoutCiShaVariables } from './support/git-repo';

withoutCiShaVariables();

function synth(directory: string, outdir?: string) {
  const app = new App({ outdir });
  const stack = new Stack(app, 'S');
  new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(directory) });
  return { template: Template.fromStack(stack).toJSON(), assembly: app.synth() };
}

/** An app with several functions, some sharing a directory, as a user's service would have. */
function synthApp(root: string): any {
  const app = new App();
  const stack = new Stack(app, 'S');
  new ContainerFunction(stack, 'Orders', { image: ContainerImage.fromDockerfile(path.join(root, 'orders')) });
  new ContainerFunction(stack, 'Billing', { image: ContainerImage.fromDockerfile(path.join(root, 'billing')) });
  new ContainerFunction(stack, 'BillingReport', { image: ContainerImage.fromDockerfile(path.join(root, 'billing')), cmd: ['app.report'] });
  return Template.fromStack(stack).toJSON();
}

const idsOf = (template: any, type: string) => Object.keys(template.Resources).filter(id => template.Resources[id].Type === type);
const changedResources = (before: any, after: any) => [...new Set([...Object.keys(before.Resources), ...Object.keys(after.Resources)])]
  .filter(id => JSON.stringify(before.Resources[id]) !== JSON.stringify(after.Resources[id])).sort();

describe('a deploy touches only what changed (real git repositories)', () => {
  let repo: TempGitRepo;
  beforeEach(() => {
    repo = TempGitRepo.create({
      ...functionFiles('svc/orders'),
      ...functionFiles('svc/billing', 'def handler(e, c):\n    return 2\n'),
      'svc/billing/.dockerignore': 'tests/\n',
      'svc/billing/tests/test_app.py': 'def test(): pass\n',
      'README.md': 'docs\n',
    });
  });
  afterEach(() => repo.remove());

  test('the same commit twice: byte-identical templates', () => {
    expect(JSON.stringify(synthApp(repo.path('svc')))).toBe(JSON.stringify(synthApp(repo.path('svc'))));
  });

  test('a docs-only commit leaves the whole template byte-identical', () => {
    const before = synthApp(repo.path('svc'));
    repo.write({ 'README.md': 'more docs\n' });
    repo.commit('docs');
    expect(JSON.stringify(synthApp(repo.path('svc')))).toBe(JSON.stringify(before));
  });

  test('a commit touching only a file the context ignores leaves the whole template byte-identical', () => {
    const before = synthApp(repo.path('svc'));
    repo.write({ 'svc/billing/tests/test_app.py': 'def test(): assert True\n' });
    repo.commit('tests only');
    expect(JSON.stringify(synthApp(repo.path('svc')))).toBe(JSON.stringify(before));
  });

  test('a commit that changes one image changes the functions that run it and its copy, nothing else', () => {
    const before = synthApp(repo.path('svc'));
    repo.write({ 'svc/billing/app.py': 'def handler(e, c):\n    return 3\n' });
    repo.commit('billing change');
    const after = synthApp(repo.path('svc'));
    const changed = changedResources(before, after);
    // Copies present in only one of the two templates: the old and the new billing image.
    const copiesOnlyIn = (t: any, other: any) => idsOf(t, 'Custom::CDKECRDeployment').filter(id => !other.Resources[id]);
    const fnIds = (t: any, prefix: string) => idsOf(t, 'AWS::Lambda::Function').filter(id => new RegExp(`^${prefix}[0-9A-F]{8}$`).test(id));
    // The two billing functions (new ImageUri), the old billing copy (deleted) and the new one (created).
    expect(copiesOnlyIn(before, after)).toHaveLength(1);
    expect(copiesOnlyIn(after, before)).toHaveLength(1);
    expect(changed).toEqual([...fnIds(after, 'Billing'), ...fnIds(after, 'BillingReport'), ...copiesOnlyIn(before, after), ...copiesOnlyIn(after, before)].sort());
    expect(idsOf(after, 'Custom::CDKECRDeployment')).toHaveLength(2); // orders' copy is still there, unchanged
    // Orders: function, role, log group and copy are byte-identical.
    expect(changed.some(id => id.startsWith('Orders'))).toBe(false);
  });

  test('a new image is a new copy resource; the old one is never updated, so a rollback never re-runs a copy', () => {
    const first = synth(repo.path('svc/orders')).template;
    repo.write({ 'svc/orders/app.py': 'def handler(event, context):\n    return 2\n' });
    repo.commit('change');
    const second = synth(repo.path('svc/orders')).template;
    const before = idsOf(first, 'Custom::CDKECRDeployment');
    const after = idsOf(second, 'Custom::CDKECRDeployment');
    expect(before).toHaveLength(1);
    expect(after).toHaveLength(1);
    // Different logical ids: CloudFormation creates the new copy and deletes the old (Delete is a no-op for images).
    // Rolling back deletes the new resource and leaves the old image's copy untouched.
    expect(after[0]).not.toEqual(before[0]);
    expect(second.Resources[before[0]]).toBeUndefined();
    expect(idsOf(second, 'AWS::ECR::Repository')).toEqual(idsOf(first, 'AWS::ECR::Repository'));
  });

  test('a dirty context changes only its own image, and the tag says so', () => {
    const before = synthApp(repo.path('svc'));
    repo.write({ 'svc/orders/app.py': 'def handler(event, context):\n    return 9\n' });
    const after = synthApp(repo.path('svc'));
    const changed = changedResources(before, after);
    expect(changed.every(id => id.startsWith('Orders') || id.startsWith('ContainerFunctionImageCopierCopy'))).toBe(true);
    expect(JSON.stringify(after)).toMatch(/:[0-9a-f]{12}-dirty-[0-9a-f]{64}"/);
  });

  test('the copy\'s logical id is the tag: the last commit that changed the inputs and the asset hash', () => {
    const stack = new Stack(new App(), 'S');
    const fn = new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(repo.path('svc/orders')) });
    const copy = idsOf(Template.fromStack(stack).toJSON(), 'Custom::CDKECRDeployment')[0];
    expect(copy).toMatch(new RegExp(`^ContainerFunctionImageCopierCopy${fn.imageTag.replace('-', '')}CustomResource[0-9A-F]{8}$`));
  });
});

describe('determinism across checkout paths', () => {
  test('the same commit in two different directories gives byte-identical templates and asset hashes', () => {
    const origin = TempGitRepo.create({ ...functionFiles(), 'fn/requirements.txt': 'boto3\n', 'fn/lib/util.py': 'X = 1\n' });
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-clones-'));
    const clones = ['first/checkout', 'second/elsewhere/deeper'].map(rel => path.join(parent, rel));
    for (const clone of clones) {
      fs.mkdirSync(path.dirname(clone), { recursive: true });
      execFileSync('git', ['clone', '-q', origin.root, clone]);
    }
    const outputs = clones.map((clone, i) => synth(path.join(clone, 'fn'), path.join(parent, `out${i}`)));
    const files = outputs.map(o => fs.readFileSync(path.join(o.assembly.directory, 'S.template.json'), 'utf-8'));
    expect(files[0]).toEqual(files[1]);
    const assets = outputs.map(o => fs.readFileSync(path.join(o.assembly.directory, 'S.assets.json'), 'utf-8'));
    expect(assets[0]).toEqual(assets[1]);
    const staged = outputs.map(o => fs.readdirSync(o.assembly.directory).filter(f => f.startsWith('asset.')).sort());
    expect(staged[0]).toEqual(staged[1]);
    origin.remove();
    fs.rmSync(parent, { recursive: true, force: true });
  });
});

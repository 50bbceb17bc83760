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

const idsOf = (template: any, type: string) => Object.keys(template.Resources).filter(id => template.Resources[id].Type === type);

describe('re-deploy, retry and rollback safety (template level)', () => {
  let repo: TempGitRepo;
  beforeEach(() => { repo = TempGitRepo.create(functionFiles()); });
  afterEach(() => repo.remove());

  test('(1) deploying the same commit twice changes nothing in the template', () => {
    expect(synth(repo.path('fn')).template).toEqual(synth(repo.path('fn')).template);
  });

  test('(2) a new tag is a new guard and copy resource; the old ones are not updated, so a rollback never re-pushes a tag', () => {
    const first = synth(repo.path('fn')).template;
    repo.write({ 'fn/app.py': 'def handler(event, context):\n    return 2\n' });
    repo.commit('change');
    const second = synth(repo.path('fn')).template;
    for (const type of ['Custom::CDKECRDeployment', 'Custom::ImageTagGuard']) {
      const before = idsOf(first, type);
      const after = idsOf(second, type);
      expect(before).toHaveLength(1);
      expect(after).toHaveLength(1);
      // Different logical ids: CloudFormation creates the new one and deletes the old one (Delete is a no-op
      // for images). Rolling back deletes the new resource and leaves the old tag's resource untouched.
      expect(after[0]).not.toEqual(before[0]);
      expect(second.Resources[before[0]]).toBeUndefined();
    }
    // Everything else about the shared pieces stays put.
    expect(idsOf(second, 'AWS::ECR::Repository')).toEqual(idsOf(first, 'AWS::ECR::Repository'));
  });

  test('the destination tag is part of the guard and copy logical ids', () => {
    const sha = repo.head().slice(0, 12);
    const t = synth(repo.path('fn')).template;
    expect(idsOf(t, 'Custom::CDKECRDeployment')[0]).toContain(sha);
    expect(idsOf(t, 'Custom::ImageTagGuard')[0]).toContain(sha);
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

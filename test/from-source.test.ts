import * as fs from 'fs';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { ContainerFunction, ContainerImage, LambdaBaseImage } from '../lib';
import { TempGitRepo, withoutCiShaVariables } from './support/git-repo';

withoutCiShaVariables();

const source = { 'svc/app.py': 'def lambda_handler(event, context):\n    return {"ok": True}\n', 'svc/requirements.txt': 'boto3\n', '.gitignore': '__pycache__/\n' };

describe('ContainerFunction with ContainerImage.fromSource', () => {
  let repo: TempGitRepo;
  beforeEach(() => { repo = TempGitRepo.create(source); });
  afterEach(() => repo.remove());

  function build(base = LambdaBaseImage.PYTHON_3_12) {
    const app = new App();
    const stack = new Stack(app, 'S');
    const image = ContainerImage.fromSource(repo.path('svc'), { base, handler: 'app.lambda_handler' });
    const fn = new ContainerFunction(stack, 'Fn', { image });
    return { stack, fn, image };
  }

  test('builds the generated Dockerfile from a staged copy, tagged with the source checkout\'s SHA', () => {
    const { fn, image, stack } = build();
    expect(fn.imageTag).toBe(`${repo.head().slice(0, 12)}-${fn.imageAsset!.assetHash}`);
    expect(image.generatedDockerfile).toContain('CMD ["app.lambda_handler"]');
    Template.fromStack(stack).resourceCountIs('Custom::CDKECRDeployment', 1);
    // The user's directory gets no generated files.
    expect(fs.readdirSync(repo.path('svc')).sort()).toEqual(['app.py', 'requirements.txt']);
  });

  test('files the generated .dockerignore keeps out do not make the tag dirty', () => {
    repo.write({ 'svc/__pycache__/app.cpython-312.pyc': 'bytecode' });
    const { fn } = build();
    expect(fn.imageTag).toBe(`${repo.head().slice(0, 12)}-${fn.imageAsset!.assetHash}`);
  });

  test('a commit outside the source directory keeps the tag: it names the last commit that changed the source', () => {
    const sourceCommit = repo.head();
    repo.write({ 'README.md': 'docs' });
    repo.commit('docs');
    const { fn } = build();
    expect(fn.imageTag).toBe(`${sourceCommit.slice(0, 12)}-${fn.imageAsset!.assetHash}`);
  });

  test('a source change the commit does not pin makes the tag dirty', () => {
    repo.write({ 'svc/app.py': 'def lambda_handler(event, context):\n    return 2\n' });
    const { fn } = build();
    expect(fn.imageTag).toBe(`${repo.head().slice(0, 12)}-dirty-${fn.imageAsset!.assetHash}`);
  });

  test('a deprecated base warns at synth, on the function, with the date and the replacement', () => {
    const { stack } = build(LambdaBaseImage.PYTHON_3_11);
    const warnings = Annotations.fromStack(stack).findWarning('/S/Fn', Match.stringLikeRegexp('^python3\\.11 was deprecated'));
    expect(warnings.map(w => String(w.entry.data))).toEqual([
      'python3.11 was deprecated by AWS Lambda on 2026-06-30: it gets no security patches and function updates will be blocked. '
      + 'Move to public.ecr.aws/lambda/python:3.13 (LambdaBaseImage.PYTHON_3_13). [ack: cdk-container-function:DeprecatedBaseImage]',
    ]);
  });

  test('a supported base does not warn', () => {
    const { stack } = build(LambdaBaseImage.PYTHON_3_12);
    expect(Annotations.fromStack(stack).findWarning('/S/Fn', Match.stringLikeRegexp('deprecated'))).toEqual([]);
  });
});

import * as fs from 'fs';
import { Size, Stack, aws_lambda as lambda } from 'aws-cdk-lib';
import { Reported, newStack } from './helpers';
import { ContainerFunction, ContainerImage, ContainerImageChecks } from '../../lib';
import { TempGitRepo, withoutCiShaVariables } from '../support/git-repo';

// ContainerImageChecks on real ContainerFunctions (no recordImageFacts): what the construct records must reach the rules.
// Each finding below comes from a different source: the Dockerfile on disk (CCF103, CCF107, CCF109), the function's
// architecture against the Dockerfile (CCF020), and the size budget against the context the asset stages (CCF010).

withoutCiShaVariables();

const BAD_DOCKERFILE = [
  'FROM --platform=linux/amd64 public.ecr.aws/lambda/python:3.9', // CCF109 (deprecated 2025-12-15) and, on arm64, CCF020
  'COPY requirements.txt ${LAMBDA_TASK_ROOT}/',
  'RUN pip install -r requirements.txt', //                       CCF103: pip's cache stays in the layer
  'COPY . ${LAMBDA_TASK_ROOT}/',
  'CMD app.handler', //                                           CCF107: shell form
  '',
].join('\n');
const GOOD_DOCKERFILE = 'FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ${LAMBDA_TASK_ROOT}/\nCMD ["app.handler"]\n';

let repo: TempGitRepo;
beforeAll(() => {
  repo = TempGitRepo.create({
    'bad/Dockerfile': BAD_DOCKERFILE,
    'bad/requirements.txt': 'six==1.16.0\n',
    'bad/app.py': 'def handler(event, context):\n    return 1\n',
    'good/Dockerfile': GOOD_DOCKERFILE,
    'good/app.py': 'def handler(event, context):\n    return 1\n',
    '.gitignore': 'bad/data.bin\n',
  });
  // 3 MiB the COPY . takes into the image (sparse: no disk used), against a 1 MiB budget.
  fs.writeFileSync(repo.path('bad/data.bin'), '');
  fs.truncateSync(repo.path('bad/data.bin'), 3 * 1024 * 1024);
});
afterAll(() => repo.remove());

function synth(build: (stack: Stack) => void): Reported {
  const { app, stack } = newStack();
  build(stack);
  ContainerImageChecks.applyTo(app, { rules: ContainerImageChecks.defaultRules() });
  return Reported.of(stack);
}


test('an arm64 ContainerFunction with a bad Dockerfile and a budget gets exactly the expected findings', () => {
  const reported = synth(stack => {
    new ContainerFunction(stack, 'Fn', {
      image: ContainerImage.fromDockerfile(repo.path('bad')),
      architecture: lambda.Architecture.ARM_64,
      maxImageSize: Size.mebibytes(1),
    });
  });
  expect(reported.ids()).toEqual(['CCF010', 'CCF020', 'CCF103', 'CCF107', 'CCF109']);
  for (const id of reported.ids()) expect(reported.paths(id)).toEqual(['/Stack/Fn']);
  expect(reported.messages('error', 'CCF020')).toEqual([expect.stringContaining('final stage FROM --platform=linux/amd64 contradicts the function architecture arm64')]);
  expect(reported.messages('warning', 'CCF109')).toEqual([expect.stringContaining('python3.9 runtime, deprecated by AWS Lambda on 2025-12-15')]);
  expect(reported.messages('warning', 'CCF103')).toEqual([expect.stringMatching(/Dockerfile:3: /)]);
  expect(reported.messages('warning', 'CCF107')).toEqual([expect.stringMatching(/Dockerfile:5: /)]);
  expect(reported.messages('error', 'CCF010').concat(reported.messages('warning', 'CCF010'))).toEqual([expect.stringMatching(/budget/i)]);
});

test('the same function on x86_64 with a good Dockerfile and no budget gets none', () => {
  const reported = synth(stack => {
    new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(repo.path('good')) });
  });
  expect(reported.ids()).toEqual([]);
});

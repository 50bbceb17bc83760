import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import fc from 'fast-check';
import { ContainerFunction, ContainerImage, ContainerImageChecks } from '../lib';
import { TempGitRepo, withoutCiShaVariables } from './support/git-repo';

// Random credentials, written where users put them (URLs, ARG, ENV, RUN, build args), never reach anything the
// library writes or says: error messages, annotations, the findings file, templates and manifests of the assembly.
// (The staged asset directories are left out: they are the user's own files, Dockerfile included.)

withoutCiShaVariables();

const secret = fc.stringMatching(/^[A-Za-z0-9]{14,24}$/).map(s => `Zq${s}`);
const place = fc.constantFrom('url', 'token-url', 'arg', 'env', 'run', 'arg-url');
const lineFor = (where: string, value: string) => ({
  'url': `RUN pip install --no-cache-dir -i https://user:${value}@pypi.example.com/simple six`,
  'token-url': `RUN git clone https://${value}@github.com/o/r.git /tmp/r`,
  'arg': `ARG DB_PASSWORD=${value}`,
  'env': `ENV API_TOKEN=${value}`,
  'run': `RUN NPM_TOKEN=${value} echo done`,
  'arg-url': `ARG PIP_INDEX_URL=https://ci:${value}@pypi.example.com/simple`,
}[where]!);
const buildArgFor = (where: string, value: string): { [k: string]: string } => ({
  'url': { PIP_INDEX_URL: `https://user:${value}@pypi.example.com/simple` },
  'token-url': { REPO: `https://ghp_${value}@github.com/o/r.git` },
  'arg': { DB_PASSWORD: value },
  'env': { GITHUB_TOKEN: value },
  'run': { AUTH: `Bearer ${value}` },
  'arg-url': { INDEX: `https://${value}@pypi.example.com/simple` },
}[where]!);

let repo: TempGitRepo;
beforeAll(() => { repo = TempGitRepo.create({ 'fn/app.py': 'def handler(event, context):\n    return 1\n' }); });
afterAll(() => repo.remove());

/** The text of everything the assembly holds except the staged asset copies. */
function assemblyText(outdir: string): string {
  return fs.readdirSync(outdir).filter(n => !n.startsWith('asset.') && fs.statSync(path.join(outdir, n)).isFile())
    .map(n => fs.readFileSync(path.join(outdir, n), 'utf8')).join('\n');
}

test('credentials in a Dockerfile reach no message, findings file, template or manifest', () => {
  let run = 0;
  fc.assert(fc.property(fc.array(fc.tuple(place, secret), { minLength: 1, maxLength: 4 }), placed => {
    const dockerfile = ['FROM public.ecr.aws/lambda/python:3.12', ...placed.map(([where, value]) => lineFor(where, value)),
      'COPY app.py ${LAMBDA_TASK_ROOT}/', 'CMD ["app.handler"]', ''].join('\n');
    fs.writeFileSync(repo.path('fn/Dockerfile'), dockerfile);
    const outdir = repo.path(`../${path.basename(repo.path('.'))}-out-${run++}`);
    const app = new App({ outdir });
    const stack = new Stack(app, 'Stack');
    new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(repo.path('fn')) });
    ContainerImageChecks.applyTo(app, { findingsFile: 'findings.json' });
    const assembly = app.synth();
    const messages = assembly.getStackByName('Stack').messages.map(m => String(m.entry.data)).join('\n');
    const written = assemblyText(assembly.directory);
    fs.rmSync(outdir, { recursive: true, force: true });
    // The checks did see the secrets (CCF102 is an error), so silence is not what keeps them out.
    if (!messages.includes('CCF102')) throw new Error(`no CCF102 for:\n${dockerfile}`);
    for (const [, value] of placed) {
      if (messages.includes(value)) throw new Error(`a message repeats ${value}:\n${messages}`);
      if (written.includes(value)) throw new Error(`the assembly repeats ${value}`);
    }
  }), { numRuns: 12, seed: 20261201 });
});

test('credential-looking build args are refused at synth without repeating them', () => {
  fc.assert(fc.property(place, secret, (where, value) => {
    fs.writeFileSync(repo.path('fn/Dockerfile'), 'FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ${LAMBDA_TASK_ROOT}/\nCMD ["app.handler"]\n');
    const stack = new Stack(new App(), 'Stack');
    let message = '';
    try {
      new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(repo.path('fn'), { buildArgs: buildArgFor(where, value) }) });
    } catch (e) {
      message = (e as Error).message;
    }
    if (!message.startsWith('Stack/Fn: ')) throw new Error(`not refused (${where}): ${message}`);
    if (message.includes(value)) throw new Error(`the error repeats the secret: ${message}`);
  }), { numRuns: 60, seed: 20261201 });
});

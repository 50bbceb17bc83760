import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { newStack, tempDir } from './helpers';
import { ContainerImageChecks } from '../../lib/checks';

// What the README says about the findings file: written at the end of every synth (the CDK CLI's --no-validation
// only skips the CLI's own template checks, not the app's construct validation); only skipValidation skips it.

function appWithFinding() {
  const { app, stack } = newStack();
  const dir = tempDir({ 'Dockerfile': 'FROM python\nCOPY app.py /var/task/\nCMD ["app.handler"]\n', 'app.py': '' });
  new lambda.DockerImageFunction(stack, 'Fn', { code: lambda.DockerImageCode.fromImageAsset(dir) });
  ContainerImageChecks.applyTo(app, { findingsFile: 'findings.json' });
  return app;
}

test('a synth writes the findings file into the cloud assembly', () => {
  const assembly = appWithFinding().synth();
  const written = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'findings.json'), 'utf8'));
  expect(written.version).toBe(1);
  expect(written.findings.map((f: { ruleId: string; path: string }) => `${f.path} ${f.ruleId}`)).toContain('Stack/Fn CCF101');
});

test('app.synth({ skipValidation: true }) skips it, with the rest of the end-of-run work', () => {
  const assembly = appWithFinding().synth({ skipValidation: true });
  expect(fs.existsSync(path.join(assembly.directory, 'findings.json'))).toBe(false);
});

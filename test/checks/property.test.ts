import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import fc from 'fast-check';
import { dockerfileRules } from './helpers';
import { ContainerImageChecks, IImageRule, ImageSubject, RuleLevel, SubjectKind } from '../../lib/checks';
import { CheckEngine } from '../../lib/checks/engine';

const FIXTURES = path.join(__dirname, 'fixtures');
const corpus = fs.readdirSync(FIXTURES)
  .filter(d => fs.existsSync(path.join(FIXTURES, d, 'Dockerfile')))
  .map(d => fs.readFileSync(path.join(FIXTURES, d, 'Dockerfile'), 'utf8'));

const keyword = fc.constantFrom('FROM', 'RUN', 'COPY', 'ADD', 'CMD', 'ENTRYPOINT', 'ARG', 'ENV', 'WORKDIR', 'USER', 'LABEL',
  'EXPOSE', 'ONBUILD', 'SHELL', 'HEALTHCHECK', 'from', 'run', 'Copy', 'BOGUS', '#', '# ccf-ignore=CCF101', '');
const word = fc.oneof(
  fc.constantFrom('.', './', '*', 'public.ecr.aws/lambda/python:3.9', 'python', 'scratch', 'AS', 'build', '--from=build',
    '--platform=linux/arm64', '--platform=$BUILDPLATFORM', '--mount=type=cache,target=/root/.cache', '--checksum=sha256:00',
    'pip', 'install', '-r', 'requirements.txt', 'apt-get', 'dnf', 'apk', 'add', '&&', '\\', '\\\n', '["app.handler"]', '[', ']',
    '"', "'", '$', '${A}', '${', 'https://u:p@h/x', 'https://', 'git@github.com:a/b', 'TOKEN=x', 'A=', '=', '<<EOF', 'EOF',
    '@sha256:', ':latest', ':', '@', '/', '\t', '`', 'npm', 'ci'),
  fc.string({ maxLength: 8 }),
);
const line = fc.tuple(keyword, fc.array(word, { maxLength: 5 })).map(([k, words]) => [k, ...words].join(' '));
const randomDockerfile = fc.tuple(fc.array(line, { maxLength: 8 }), fc.constantFrom('\n', '\r\n')).map(([lines, eol]) => lines.join(eol));

/** A corpus Dockerfile with a few edits: deletions, insertions, duplicated or swapped lines, truncation. */
const mutatedDockerfile = fc.tuple(
  fc.constantFrom(...corpus),
  fc.array(fc.tuple(fc.nat(), fc.nat({ max: 20 }), fc.constantFrom('delete', 'insert', 'duplicate', 'swap', 'truncate'), fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 4 }),
).map(([text, edits]) => {
  let s = text;
  for (const [at, n, op, insert] of edits) {
    const i = s.length === 0 ? 0 : at % s.length;
    const lines = s.split('\n');
    const l = lines.length === 0 ? 0 : at % lines.length;
    switch (op) {
      case 'delete': s = s.slice(0, i) + s.slice(i + n); break;
      case 'insert': s = s.slice(0, i) + insert + s.slice(i); break;
      case 'duplicate': lines.splice(l, 0, lines[l] ?? ''); s = lines.join('\n'); break;
      case 'swap': [lines[l], lines[0]] = [lines[0], lines[l]]; s = lines.join('\n'); break;
      default: s = s.slice(0, i);
    }
  }
  return s;
});

const buildArgs = fc.option(fc.dictionary(fc.constantFrom('PIP_INDEX_URL', 'TOKEN', 'A', 'x'), fc.oneof(fc.string(), fc.constant('https://u:p@h'))), { nil: undefined });

/** What is wrong with the rules' findings on one Dockerfile (empty when nothing is): a fresh list for every run. */
function ruleProblems(text: string, args: { [k: string]: string } | undefined, construct: Stack): string[] {
  const problems: string[] = [];
  const subject = new ImageSubject({ kind: SubjectKind.IMAGE_ASSET, construct, dockerfileText: text, dockerfilePath: 'Dockerfile', buildArgs: args });
  const lineCount = text.split(/\r\n|\r|\n/).length;
  const validLine = (l: number) => Number.isInteger(l) && l >= 1 && l <= lineCount;
  for (const rule of dockerfileRules()) {
    // A rule that throws fails the property (fast-check reports the thrown error with the counterexample).
    for (const finding of rule.check(subject)) {
      if (finding.line !== undefined && !validLine(finding.line)) problems.push(`${rule.id} line ${finding.line} of ${lineCount}`);
      if (typeof finding.message !== 'string' || /[\r\n]/.test(finding.message)) problems.push(`${rule.id} message ${JSON.stringify(finding.message)}`);
    }
  }
  for (const pragma of subject._dockerfile()!.pragmas) {
    if (!validLine(pragma.line)) problems.push(`pragma line ${pragma.line}`);
  }
  return problems;
}

/** Runs a property and, when it fails, fails the test with fast-check's report: the shrunk counterexample and its seed. */
function assertProperty<T>(property: fc.IProperty<T>, params: fc.Parameters<T>): void {
  const details = fc.check(property, params);
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`${fc.defaultReportMessage(details)}\nWhat failed on the counterexample: ${cause}`);
  }
  expect(details.numRuns).toBe(params.numRuns);
}

test('random and mutated Dockerfiles: no rule throws, every finding has a valid line', () => {
  const construct = new Stack();
  // Plain checks, not expect(): 10,000 runs must take seconds. Each run computes its own problem list, so shrinking
  // reports the smallest Dockerfile that still has a problem, not one that merely follows a failing run.
  assertProperty(fc.property(fc.oneof(randomDockerfile, mutatedDockerfile), buildArgs, (text, args) => {
    const problems = ruleProblems(text, args, construct);
    if (problems.length > 0) throw new Error(problems.join('; '));
  }), { numRuns: 10_000, seed: 20261127 });
});

test('the property reports the shrunk counterexample of a broken rule', () => {
  // A rule that is wrong on purpose (a line past the end of the file): the report must name a small Dockerfile.
  const broken: IImageRule = { id: 'CCF999', level: RuleLevel.WARNING, title: 'broken', check: s => (s._dockerfile()?.stages.length ? [{ message: 'x', fix: 'y', line: 10_000 }] : []) };
  let report = '';
  try {
    assertProperty(fc.property(randomDockerfile, text => {
      const subject = new ImageSubject({ kind: SubjectKind.IMAGE_ASSET, construct: new Stack(), dockerfileText: text, dockerfilePath: 'Dockerfile' });
      const lines = text.split(/\r\n|\r|\n/).length;
      for (const f of broken.check(subject)) if (f.line !== undefined && f.line > lines) throw new Error(`line ${f.line} of ${lines}`);
    }), { numRuns: 2_000, seed: 20261127 });
  } catch (e) {
    report = (e as Error).message;
  }
  expect(report).toMatch(/Counterexample: \["[^"]{0,40}"\]/);
  expect(report).toMatch(/Shrunk \d+ time/);
  expect(report).toContain('line 10000 of');
});

// The engine around the rules: redaction, pragmas and suppressions on random Dockerfiles with random secrets.
const secretValue = fc.stringMatching(/^[A-Za-z0-9]{12,24}$/).map(s => `Zq${s}`);
const pragmaLine = fc.tuple(fc.subarray(['CCF101', 'CCF102', 'CCF103', 'CCF104', 'CCF108', 'CCF199'], { minLength: 1 }), fc.constantFrom('', 'short', 'a reason long enough'))
  .map(([ids, reason]) => `# ccf-ignore=${ids.join(',')} ${reason}`.trimEnd());
const secretLine = fc.tuple(fc.constantFrom('url', 'token-url', 'arg', 'env', 'run', 'bearer'), secretValue).map(([kind, secret]) => ({
  secret,
  line: {
    'url': `RUN pip install -i https://user:${secret}@pypi.example.com/simple app`,
    'token-url': `RUN git clone https://ghp_${secret}@github.com/o/r.git`,
    'arg': `ARG DB_PASSWORD=${secret}`,
    'env': `ENV API_TOKEN=${secret}`,
    'run': `RUN NPM_TOKEN=${secret} npm ci`,
    'bearer': `RUN curl -H "Authorization: Bearer ${secret}" https://example.com`,
  }[kind],
}));
const engineInput = fc.tuple(
  fc.array(fc.oneof(line, pragmaLine, secretLine.map(s => s.line)), { maxLength: 8 }),
  fc.array(secretLine, { minLength: 1, maxLength: 3 }),
  fc.array(pragmaLine, { maxLength: 2 }),
  fc.subarray(['CCF101', 'CCF103', 'CCF108']),
  secretValue,
).map(([lines, secrets, pragmas, suppressed, buildArgSecret]) => {
  const all = ['FROM public.ecr.aws/lambda/python:3.12', ...pragmas, ...secrets.map(s => s.line), ...lines];
  return { text: all.join('\n'), secrets: [...secrets.map(s => s.secret), buildArgSecret], suppressed, buildArgSecret };
});

test('the engine on random Dockerfiles: never throws, never repeats a secret, pragmas and suppressions stay consistent', () => {
  const rules = dockerfileRules();
  assertProperty(fc.property(engineInput, ({ text, secrets, suppressed, buildArgSecret }) => {
    const stack = new Stack();
    for (const id of suppressed) ContainerImageChecks.suppress(stack, id, 'accepted for this property test');
    const subject = new ImageSubject({
      kind: SubjectKind.IMAGE_ASSET,
      construct: stack,
      dockerfileText: text,
      dockerfilePath: 'Dockerfile',
      buildArgs: { PIP_INDEX_URL: `https://build:${buildArgSecret}@pypi.example.com/simple`, GITHUB_TOKEN: buildArgSecret },
    });
    const findings = new CheckEngine(rules, { strict: false }).run(subject);
    const problems: string[] = [];
    for (const f of findings) {
      for (const secret of secrets) if (f.message.includes(secret)) problems.push(`${f.ruleId} repeats a secret: ${f.message}`);
      if (!f.message.startsWith(`${f.ruleId} `)) problems.push(`message does not start with its id: ${f.message}`);
      // A suppressed finding says why; a reported one is not covered by a suppression of its rule.
      if (f.suppressedBy === undefined && suppressed.includes(f.ruleId)) problems.push(`${f.ruleId} reported although suppressed`);
      if (f.suppressedBy !== undefined && f.suppressedBy.length < 10) problems.push(`${f.ruleId} suppressed without a reason`);
    }
    // The secrets written into the Dockerfile are reported (CCF102), whatever else is there.
    if (!findings.some(f => f.ruleId === 'CCF102')) problems.push('no CCF102 for a Dockerfile with secrets');
    // Each pragma id with a reason that matched nothing is reported once as CCF901, on the pragma's line.
    for (const p of subject._dockerfile()!.pragmas.filter(x => x.reason.length >= 10)) {
      for (const id of p.ruleIds) {
        const matched = findings.some(f => f.ruleId === id && f.suppressedBy?.startsWith(`pragma at Dockerfile:${p.line}:`));
        const names = (f: { message: string }) => p.ruleIds.length === 1
          ? f.message.includes(`'# ccf-ignore=${id}' matched no finding`)
          : f.message.startsWith(`CCF901 Dockerfile:${p.line}: ${id} in '`);
        const unused = findings.filter(f => f.ruleId === 'CCF901' && f.line === p.line && names(f)).length;
        if (matched ? unused !== 0 : unused !== 1) problems.push(`pragma ${id} at line ${p.line}: matched=${matched}, CCF901 reports=${unused}`);
      }
    }
    // A pragma without a real reason suppresses nothing and is reported once as CCF902.
    for (const p of subject._dockerfile()!.pragmas.filter(x => x.reason.length < 10)) {
      if (findings.some(f => f.suppressedBy?.startsWith(`pragma at Dockerfile:${p.line}:`))) problems.push(`pragma without a reason at line ${p.line} suppressed a finding`);
      if (findings.filter(f => f.ruleId === 'CCF902' && f.line === p.line).length !== 1) problems.push(`pragma without a reason at line ${p.line}: not one CCF902`);
    }
    if (problems.length > 0) throw new Error(problems.join('; '));
  }), { numRuns: 1_500, seed: 20261201 });
});

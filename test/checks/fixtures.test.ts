import * as fs from 'fs';
import * as path from 'path';
import { dockerfileRules, dockerfileSubject } from './helpers';
import { DeprecatedLambdaBaseImageRule } from '../../lib/checks';
import { CheckEngine } from '../../lib/checks/engine';

const FIXTURES = path.join(__dirname, 'fixtures');
const expected: Record<string, { ids: string[]; buildArgs?: Record<string, string> }> =
  JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8'));
// Judge deprecations on a fixed date so the corpus does not change meaning over time.
const rules = [...dockerfileRules().filter(r => r.id !== 'CCF109'), new DeprecatedLambdaBaseImageRule({ asOf: new Date('2026-11-27') })];

test('every fixture directory has expectations and vice versa', () => {
  const dirs = fs.readdirSync(FIXTURES).filter(d => fs.statSync(path.join(FIXTURES, d)).isDirectory()).sort();
  expect(Object.keys(expected).sort()).toEqual(dirs);
});

test.each(Object.entries(expected))('%s', (name, { ids, buildArgs }) => {
  const file = path.join(FIXTURES, name, 'Dockerfile');
  const findings = new CheckEngine(rules, { strict: false })
    .run(dockerfileSubject(fs.readFileSync(file, 'utf8'), { dockerfilePath: `fixtures/${name}/Dockerfile`, buildArgs }));
  const reported = findings.filter(f => !f.suppressedBy);
  expect([...new Set(reported.map(f => f.ruleId))].sort()).toEqual(ids);
  for (const finding of reported) {
    expect(finding.message).toMatch(new RegExp(`^${finding.ruleId} fixtures/${name}/Dockerfile:\\d+: `));
    expect(finding.message).not.toContain('password');
  }
});

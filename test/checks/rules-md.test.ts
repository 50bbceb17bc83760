import * as fs from 'fs';
import * as path from 'path';
import { ContainerImageChecks } from '../../lib/checks';
import { RUNTIME_DEPRECATIONS } from '../../lib/lambda-facts';

const RULES_MD = fs.readFileSync(path.join(__dirname, '..', '..', 'RULES.md'), 'utf8');

function tableRows(prefix: RegExp): string[][] {
  return RULES_MD.split('\n').filter(l => prefix.test(l)).map(l => l.split('|').slice(1, -1).map(c => c.trim()));
}

test('the rule table in RULES.md lists every rule class with its id, level, class name and title, in order', () => {
  const documented = tableRows(/^\| CCF0|^\| CCF1/);
  const actual = ContainerImageChecks.defaultRules().map(r => [r.id, r.level, r.constructor.name, r.title]);
  expect(documented).toEqual(actual);
});

test('rule ids are unique and well-formed', () => {
  const ids = ContainerImageChecks.defaultRules().map(r => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) expect(id).toMatch(/^CCF[0-9]{3}$/);
});

test('the deprecation table in RULES.md matches the data CCF109 and the generator use (lib/lambda-facts.ts)', () => {
  const documented = tableRows(/^\| (python|nodejs|java|go|provided|dotnet|ruby):/);
  expect(documented).toEqual(RUNTIME_DEPRECATIONS.map(d => [`${d.repository}:${d.tag}`, d.identifier, d.deprecatedOn]));
});

test('every rule class is exported from the package index', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const index = require('../../lib');
  for (const rule of ContainerImageChecks.defaultRules()) expect(index[rule.constructor.name]).toBe(rule.constructor);
});

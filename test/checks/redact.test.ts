import { findCredentialBuildArgs, hasUrlCredentials, isSecretName, redactAssignment, redactSecrets, redactUrlCredentials, secretAssignments } from '../../lib/checks/redact';

test.each([
  ['https://user:password@pypi.example.com/simple', 'https://user:***@pypi.example.com/simple', true],
  ['pip install -i https://a:b@h/s x && git clone ssh://git:tok@host/r', 'pip install -i https://a:***@h/s x && git clone ssh://git:***@host/r', true],
  ['https://user:${TOKEN}@host/x', 'https://user:${TOKEN}@host/x', false],
  ['https://host/x', 'https://host/x', false],
  ['user@host:path', 'user@host:path', false],
  // The userinfo ends at the LAST @ of the authority: nothing of a password holding an @ is shown.
  ['https://user:pa@ss-TAIL@host/simple', 'https://user:***@host/simple', true],
  ['https://user:p@ss@w@rd@host', 'https://user:***@host', true],
  // A token used as the user name is a credential too.
  ['git clone https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/o/r', 'git clone https://***@github.com/o/r', true],
  ['https://glpat-xxxxxxxxxxxxxxxxxxxx@gitlab.example.com/r.git', 'https://***@gitlab.example.com/r.git', true],
  ['https://9f86d081884c7d659a2feaa0c55ad015@host/x', 'https://***@host/x', true],
  // Plain user names and variable references are not.
  ['ssh://git@github.com/o/r.git', 'ssh://git@github.com/o/r.git', false],
  ['https://deploy@host/x', 'https://deploy@host/x', false],
  ['https://${GITHUB_TOKEN}@github.com/o/r', 'https://${GITHUB_TOKEN}@github.com/o/r', false],
  ['https://host/path@v1', 'https://host/path@v1', false],
])('%s', (text, redacted, credentials) => {
  expect(redactUrlCredentials(text)).toBe(redacted);
  expect(hasUrlCredentials(text)).toBe(credentials);
});

test('assignments hide whole values of secret-looking names', () => {
  expect(redactAssignment('DB_PASSWORD', 'hunter2', true)).toBe('DB_PASSWORD=***');
  expect(redactAssignment('TOKEN', '$TOKEN', true)).toBe('TOKEN=$TOKEN');
  expect(redactAssignment('URL', 'https://u:p@h', false)).toBe('URL=https://u:***@h');
  expect(redactAssignment('TOKEN', null, true)).toBe('TOKEN');
});

test.each([
  ['RUN TOKEN=abc123 pip install x', 'RUN TOKEN=*** pip install x'],
  ['GITHUB_TOKEN="ghp_abcdef" npm ci && DB_PASSWORD=\'x y\' ./run', 'GITHUB_TOKEN=*** npm ci && DB_PASSWORD=*** ./run'],
  ['TOKEN=$TOKEN PIP_INDEX_URL="$(cat /run/secrets/pip)" A=1', 'TOKEN=$TOKEN PIP_INDEX_URL="$(cat /run/secrets/pip)" A=1'],
  ['curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc" https://u:p@h', 'curl -H "Authorization: Bearer ***" https://u:***@h'],
])('redactSecrets(%j)', (text, redacted) => {
  expect(redactSecrets(text)).toBe(redacted);
});

test('secret names', () => {
  expect(['PASSWORD', 'DB_PASSWORD', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'STRIPE_API_KEY', 'SIGNING_KEY'].filter(n => !isSecretName(n))).toEqual([]);
  expect(['GPG_KEY', 'SSH_PUBLIC_KEY', 'SECRET_FILE', 'TOKEN_PATH', 'PIP_INDEX_URL', 'KEYBOARD', 'LAMBDA_TASK_ROOT'].filter(isSecretName)).toEqual([]);
  expect(secretAssignments('TOKEN=abc X=1 API_KEY=$K')).toEqual(['TOKEN']);
});

test('findCredentialBuildArgs names the build args that hold credentials, and only those', () => {
  expect(findCredentialBuildArgs({
    PYTHON_VERSION: '3.12',
    PIP_INDEX_URL: 'https://user:pa@ss@pypi.example.com/simple',
    REPO: 'https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/o/r',
    NPM_TOKEN: 'npm_abc',
    TOKEN_FROM_ENV: '$NPM_TOKEN',
    EMPTY_SECRET: '',
    AUTH_HEADER: 'Bearer eyJhbGciOiJIUzI1NiJ9',
    KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    MIRROR: 'https://pypi.example.com/simple',
    CLONE: 'ssh://git@github.com/o/r.git',
  })).toEqual(['PIP_INDEX_URL', 'REPO', 'NPM_TOKEN', 'AUTH_HEADER', 'KEY_ID']);
  expect(findCredentialBuildArgs({})).toEqual([]);
});

import { hasUrlCredentials, redactAssignment, redactUrlCredentials } from '../../lib/checks/redact';

test.each([
  ['https://user:password@pypi.example.com/simple', 'https://user:***@pypi.example.com/simple', true],
  ['pip install -i https://a:b@h/s x && git clone ssh://git:tok@host/r', 'pip install -i https://a:***@h/s x && git clone ssh://git:***@host/r', true],
  ['https://user:${TOKEN}@host/x', 'https://user:${TOKEN}@host/x', false],
  ['https://host/x', 'https://host/x', false],
  ['user@host:path', 'user@host:path', false],
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

// `cdk-container-function event` as users run it (its own process): JSON on stdout, exit 2 with the kinds on a typo.
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

function cli(args: string[]) {
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'lib', 'cli', 'main.ts'), ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json') },
  });
}

test('event s3-put prints the event; an unknown kind exits 2 naming the kinds', () => {
  const ok = cli(['event', 's3-put', '--bucket', 'my-bucket', '--key', 'a b.csv', '--region', 'eu-central-1']);
  expect(ok.status).toBe(0);
  const record = JSON.parse(ok.stdout).Records[0];
  expect(record).toMatchObject({ awsRegion: 'eu-central-1', s3: { bucket: { name: 'my-bucket' }, object: { key: 'a+b.csv' } } });

  const bad = cli(['event', 'sqs-fifo']);
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain('unknown event kind "sqs-fifo"; one of s3-put, sqs, sns, apigw-http, apigw-rest, function-url, eventbridge, dynamodb-stream, kinesis');
}, 60_000);

/**
 * ContainerImage.fromSource for a Node.js TypeScript function, built with a real Docker engine
 * on the Node.js stand-in base (real aws-lambda-ric) and invoked through the Runtime API.
 */
import * as fs from 'fs';
import * as path from 'path';
import { build, buildSteps, describeWithDocker, findInLayers, history, invoke, removeImage, shell, BuildResult } from './support/docker';
import { HOST_CA_BUNDLE, StandIns, ensureStandIns } from './support/standins';
import { copyFixture, marker, secretFile } from './support/workspace';
import { SourceBuildSecret } from '../../lib/dockerfile';
import { StagedSourceImage, stageSourceImage } from '../../lib/dockerfile/stage-source';

jest.setTimeout(30 * 60_000);

describeWithDocker('fromSource: Node.js TypeScript on a real engine', () => {
  const tag = `ccf-integ/node-ts:${process.pid}`;
  const tokenMarker = marker('npm-token');
  const caMarker = marker('ca-bundle');
  const runId = marker('run'); // makes the code change new to the build cache on every run
  let bases: StandIns;
  let src: string;
  let staged: StagedSourceImage;
  let first: BuildResult;

  const stage = () => stageSourceImage('IntegStack/NodeFn', src, {
    base: bases.node,
    handler: 'index.handler',
    buildCommand: 'npm run build',
    buildOutput: 'dist',
    buildSecrets: [
      // A private-scope token npm reads but never needs here: it must not reach the image.
      SourceBuildSecret.npmrc(secretFile('npmrc', `@ccf-private:registry=https://npm.ccf-private.invalid/\n//npm.ccf-private.invalid/:_authToken=${tokenMarker}\n`)),
      // The registry is reachable over https only with the host CA bundle (a comment line carries a marker).
      SourceBuildSecret.caBundle(secretFile('ca.pem', `# ${caMarker}\n${fs.readFileSync(HOST_CA_BUNDLE, 'utf8')}`)),
    ],
  });

  beforeAll(async () => {
    bases = await ensureStandIns();
    src = copyFixture('node-ts');
    staged = stage();
    first = await build({ context: staged.directory, file: staged.file, tag, secrets: staged.buildSecrets });
  });

  afterAll(async () => {
    await removeImage(tag);
    await removeImage(`${tag}-v2`);
  });

  test('the image builds and returns the handler result through the Runtime API', async () => {
    const r = await invoke(tag, { name: 'integ' });
    expect(r.kind).toBe('response');
    expect(r.body).toEqual({ greeting: 'hello integ', ttlMs: 172800000, version: 1 });
  });

  test('the final image has the compiled code and production dependencies only: no TypeScript, no sources, no compiler', async () => {
    const out = await shell(tag, [
      'cd /var/task',
      'ls -1 . | sort | tr "\\n" " "; echo',
      'ls -1 node_modules | tr "\\n" " "; echo',
      'for t in tsc gcc g++ cc make; do command -v $t >/dev/null && echo "has $t"; done; true',
      'find / -xdev -path /proc -prune -o -type d -path "*/node_modules/typescript" -print 2>/dev/null | head -5',
    ].join('; '));
    const [files, modules, ...rest] = out.trim().split('\n');
    expect(files.trim().split(' ')).toEqual(['index.js', 'node_modules', 'package.json']);
    expect(modules.trim().split(' ')).toEqual(['ms']);
    expect(rest.join('\n')).toBe('');
  });

  test('a code-only change rebuilds without re-running the dependency installs', async () => {
    fs.writeFileSync(path.join(src, 'src', 'index.ts'), fs.readFileSync(path.join(src, 'src', 'index.ts'), 'utf8').replace('version: 1', `version: 2, run: '${runId}'`));
    const again = stage();
    expect(again.directory).not.toBe(staged.directory);
    const second = await build({ context: again.directory, file: again.file, tag: `${tag}-v2`, secrets: again.buildSecrets });
    const installs = buildSteps(second.log, /npm ci/);
    expect(installs.length).toBe(2); // production deps (deps stage) and all deps (build stage)
    expect(installs.filter(s => !s.cached)).toEqual([]);
    const compile = buildSteps(second.log, /RUN npm run build/);
    expect(compile.map(s => s.cached)).toEqual([false]);
    // eslint-disable-next-line no-console
    console.log(`node-ts: cold build ${first.seconds.toFixed(1)} s, code-only rebuild ${second.seconds.toFixed(1)} s`);
    const r = await invoke(`${tag}-v2`, { name: 'again' });
    expect(r.body).toMatchObject({ version: 2, run: runId });
  });

  test('build secrets are absent from docker history and from every layer, of the final image and of the stages that used them', async () => {
    const needles = [tokenMarker, caMarker, 'npm.ccf-private.invalid'];
    const stageTags = ['deps', 'build'].map(t => ({ target: t, tag: `${tag}-${t}` }));
    try {
      for (const s of stageTags) {
        await build({ context: staged.directory, file: staged.file, tag: s.tag, secrets: staged.buildSecrets, target: s.target });
        // BuildKit records the command, not its mounts: the installs saw the secrets' paths only.
        expect(await history(s.tag)).toMatch(/NPM_CONFIG_USERCONFIG=\/run\/secrets\/npmrc .*npm ci/);
      }
      for (const image of [tag, ...stageTags.map(s => s.tag)]) {
        const h = await history(image);
        for (const n of needles) expect(h).not.toContain(n);
        expect(await findInLayers(image, needles)).toEqual([]);
      }
      expect(await history(tag)).not.toContain('npm ci'); // the final image never ran an install
    } finally {
      for (const s of stageTags) await removeImage(s.tag);
    }
  });
});

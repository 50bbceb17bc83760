/**
 * ContainerImage.fromSource for a Python function with a C extension, built with a real Docker
 * engine on the Python stand-in base (Runtime API bootstrap fixture): the compiler lives in the
 * build stage only.
 */
import * as fs from 'fs';
import * as path from 'path';
import { build, buildSteps, describeWithDocker, findInLayers, history, invoke, removeImage, shell, BuildResult } from './support/docker';
import { StandIns, ensureStandIns } from './support/standins';
import { copyFixture, marker, secretFile } from './support/workspace';
import { SourceBuildSecret } from '../../lib/dockerfile';
import { StagedSourceImage, stageSourceImage } from '../../lib/dockerfile/stage-source';

jest.setTimeout(30 * 60_000);

describeWithDocker('fromSource: Python with a C extension on a real engine', () => {
  const tag = `ccf-integ/python-native:${process.pid}`;
  const indexMarker = marker('pip-index');
  const runId = marker('run'); // makes the code change new to the build cache on every run
  let bases: StandIns;
  let src: string;
  let staged: StagedSourceImage;
  let first: BuildResult;

  const stage = () => stageSourceImage('IntegStack/PyFn', src, {
    base: bases.python,
    handler: 'app.lambda_handler',
    systemPackages: ['gcc', 'libc6-dev', 'python3-dev'],
    // The seed's private index, as a secret: pip sees PIP_INDEX_URL for the install command only.
    // Every requirement here is a local path, so pip never contacts the (unreachable) index.
    buildSecrets: [SourceBuildSecret.pipIndexUrl(secretFile('pip-index-url', `https://deploy:${indexMarker}@pypi.ccf-private.invalid/simple`))],
  });

  beforeAll(async () => {
    bases = await ensureStandIns();
    src = copyFixture('python-native');
    staged = stage();
    first = await build({ context: staged.directory, file: staged.file, tag, secrets: staged.buildSecrets });
  });

  afterAll(async () => {
    await removeImage(tag);
    await removeImage(`${tag}-v2`);
  });

  test('the image builds and returns the handler result through the Runtime API', async () => {
    const r = await invoke(tag, { a: 40, b: 2 });
    expect(r.kind).toBe('response');
    expect(r.body).toMatchObject({ sum: 42, version: 1 });
    expect((r.body as any).requestId).toMatch(/^ccf-/);
  });

  test('the final image has the compiled extension but no compiler, headers or build sources', async () => {
    const out = await shell(tag, [
      'cd /var/task',
      'ls fastsum*.so >/dev/null 2>&1 && echo "has fastsum.so"',
      'for t in gcc cc x86_64-linux-gnu-gcc-12 make; do command -v $t >/dev/null && echo "has $t"; done',
      'test -e /usr/include/python3.11/Python.h && echo "has Python.h"',
      'test -e /usr/include/stdio.h && echo "has libc headers"',
      'test -e vendor && echo "has the local package sources"',
      'true',
    ].join('; '));
    expect(out.trim().split('\n')).toEqual(['has fastsum.so']);
  });

  test('a code-only change rebuilds without re-running pip install', async () => {
    fs.writeFileSync(path.join(src, 'app.py'), fs.readFileSync(path.join(src, 'app.py'), 'utf8').replace('"version": 1', `"version": 2, "run": "${runId}"`));
    const again = stage();
    const second = await build({ context: again.directory, file: again.file, tag: `${tag}-v2`, secrets: again.buildSecrets });
    const installs = [...buildSteps(second.log, /pip install/), ...buildSteps(second.log, /apt-get install/)];
    expect(installs.length).toBe(2);
    expect(installs.filter(s => !s.cached)).toEqual([]);
    expect(buildSteps(second.log, /\[code \d+\/\d+\] COPY \. \./).map(s => s.cached)).toEqual([false]); // the code layer is new
    // eslint-disable-next-line no-console
    console.log(`python-native: cold build ${first.seconds.toFixed(1)} s, code-only rebuild ${second.seconds.toFixed(1)} s`);
    expect((await invoke(`${tag}-v2`, { a: 1, b: 2 })).body).toMatchObject({ sum: 3, version: 2, run: runId });
  });

  test('the pip index secret is absent from docker history and from every layer, of the final image and of the stage that used it', async () => {
    const depsTag = `${tag}-deps`;
    await build({ context: staged.directory, file: staged.file, tag: depsTag, secrets: staged.buildSecrets, target: 'deps' });
    try {
      for (const image of [tag, depsTag]) {
        const h = await history(image);
        expect(h).not.toContain(indexMarker);
        expect(await findInLayers(image, [indexMarker, 'pypi.ccf-private.invalid'])).toEqual([]);
      }
      // BuildKit records the command, not its mounts: the install read the URL from the mounted file.
      expect(await history(depsTag)).toContain('PIP_INDEX_URL="$(cat /run/secrets/pip-index-url)"');
      expect(await history(tag)).not.toContain('pip install'); // and the final image never ran it
    } finally {
      await removeImage(depsTag);
    }
  });
});

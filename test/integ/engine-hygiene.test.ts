// The suite leaves the user's Docker engine as it found it: jest's global teardown compares the image tags before and
// after the run (test/support/global-teardown.ts) and returns the AWS base image names the tests borrowed. These tests
// prove the pieces of that check on the real engine, and that an unreachable engine is reported in Docker's own words.
import { dockerAvailability, docker, describeWithDocker } from './support/docker';
import { imageTags, removeLeftoverBorrowedNames, returnBorrowedNames, tagChanges } from './support/engine-images';
import { DEBIAN_BASE } from './support/provision';

jest.setTimeout(5 * 60_000);

test('an unreachable engine is reported with the reason Docker gives, not a template error', () => {
  const a = dockerAvailability({ ...process.env, DOCKER_HOST: 'unix:///nonexistent/ccf-docker.sock' });
  expect(a.ok).toBe(false);
  expect(a.reason).not.toMatch(/template|nil pointer/);
  expect(a.reason).toMatch(/Cannot connect to the Docker daemon at unix:\/\/\/nonexistent\/ccf-docker\.sock|could not run/);
});

describeWithDocker('engine hygiene', () => {
  const probe = `ccf-hygiene-probe:${process.pid}`;
  const borrowed = `public.ecr.aws/lambda/ccf-hygiene-probe:${process.pid}`;

  afterAll(async () => {
    for (const name of [probe, borrowed]) await docker(['image', 'rm', name], { allowFailure: true });
  });

  test('a tag that appears, moves or disappears is a change; the caches are not', async () => {
    const before = imageTags()!;
    expect(before[DEBIAN_BASE]).toBeDefined();
    await docker(['tag', DEBIAN_BASE, probe]);
    const after = imageTags()!;
    expect(tagChanges(before, after)).toEqual([`added ${probe}`]);
    expect(tagChanges(after, before)).toEqual([`removed ${probe}`]);
    expect(tagChanges(before, { ...before, [probe]: 'sha256:' + '0'.repeat(64) })).toEqual([`added ${probe}`]);
    const moved = { ...after, [probe]: 'sha256:' + '0'.repeat(64) };
    expect(tagChanges(after, moved)).toEqual([expect.stringMatching(new RegExp(`^moved ${probe.replace(/[.]/g, '\\.')} `))]);
    // A new stand-in build is a cache, not a change.
    expect(tagChanges(before, { ...before, 'ccf-standin/python:000000000000': after[probe] })).toEqual([]);
    await docker(['image', 'rm', probe]);
  });

  test('an AWS base name absent before is borrowed and returned; one that pointed at a stand-in from a killed run is removed first', async () => {
    const before = imageTags()!;
    expect(before[borrowed]).toBeUndefined();
    await docker(['tag', DEBIAN_BASE, borrowed]);
    const during = imageTags()!;
    expect(tagChanges(before, during)).toEqual([`added ${borrowed}`]);
    expect(returnBorrowedNames(before, during)).toEqual([borrowed]);
    const after = imageTags()!;
    expect(after[borrowed]).toBeUndefined();
    expect(after[DEBIAN_BASE]).toBe(before[DEBIAN_BASE]);
    expect(tagChanges(before, after)).toEqual([]);

    // A killed run: the name points at one of the suite's own images, so it was borrowed; the next run removes it.
    await docker(['tag', DEBIAN_BASE, borrowed]);
    // Shown only the probe among the AWS names: a test running beside this one may be using a name it borrowed.
    const tags = Object.entries(imageTags()!).filter(([name]) => name === borrowed || !name.startsWith('public.ecr.aws/'));
    expect(removeLeftoverBorrowedNames(Object.fromEntries(tags))).toEqual([borrowed]);
    expect(imageTags()![borrowed]).toBeUndefined();
  });
});

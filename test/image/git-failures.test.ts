/**
 * When git cannot read the repository (not installed, the repository owned by another user, a corrupt index), the
 * error names the construct and the fix, and the documented fallbacks (gitSha({ sha }), -c cdk-container-function:gitSha,
 * CI variables) work, with a warning that nothing checked the context against that commit. Real repositories.
 */
import * as fs from 'fs';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ContainerFunction, ContainerImage, ImageTag } from '../../lib';
import { GIT_UNREADABLE_WARNING } from '../../lib/image/image-tag';
import { TempGitRepo, functionFiles, withoutCiShaVariables } from '../support/git-repo';
import { tempDir } from '../support/temp-dir';

withoutCiShaVariables();

const SHA = '2222222222aaaaaaaaaabbbbbbbbbbcccccccccc';
const asRoot = process.getuid?.() === 0;

function build(repo: TempGitRepo, tag?: ImageTag, context?: Record<string, string>) {
  const app = new App({ context });
  const stack = new Stack(app, 'S');
  const fn = new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(repo.path('fn')), tag });
  return { fn, stack };
}

describe('git cannot read the repository', () => {
  let repo: TempGitRepo;
  const saved = { ...process.env };
  beforeEach(() => {
    repo = TempGitRepo.create(functionFiles());
    // No global git configuration (a safe.directory of the machine's) may change what git says here.
    process.env.GIT_CONFIG_GLOBAL = '/dev/null';
    process.env.GIT_CONFIG_NOSYSTEM = '1';
  });
  afterEach(() => {
    process.env = { ...saved };
    if (asRoot) fs.chownSync(repo.root, 0, 0);
    repo.remove();
  });

  /** The three ways it happens, each set up for real. */
  const cases: Array<[string, () => void, RegExp, RegExp]> = [
    ['git is not on the PATH', () => {
      process.env.PATH = tempDir('ccf-no-git-');
    }, /git is not installed or not on the PATH \(spawn git ENOENT\), so .* cannot be read/, /Install git, or pass the commit another way/],
    ['the index is corrupt', () => {
      fs.writeFileSync(repo.path('.git', 'index'), 'not an index at all, but long enough to have a header');
    }, /the git index of .* is corrupt \(.*\)/, /Rebuild it, keeping your files: 'rm "\$\(git -C .* rev-parse --git-path index\)" && git -C .* reset'/],
  ];
  if (asRoot) {
    cases.push(['the repository belongs to another user (dubious ownership)', () => {
      fs.chownSync(repo.root, 65534, 65534);
    }, /git refuses to read .*: it belongs to another user \("detected dubious ownership"\)/, /If you trust it, run 'git config --global --add safe\.directory .*'/]);
  } else {
    test.skip('the repository belongs to another user (dubious ownership): needs root to chown the repository', () => undefined);
  }

  describe.each(cases)('%s', (_, breakIt, reason, fix) => {
    beforeEach(() => breakIt());

    test('the error names the construct, what happened and the fix, and how to pass the commit instead', () => {
      let message = '';
      try {
        build(repo);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^S\/Fn: /);
      expect(message).toMatch(reason);
      expect(message).toMatch(fix);
      expect(message).toContain("or pass the commit with 'cdk synth -c cdk-container-function:gitSha=<sha>', a CI variable such as GITHUB_SHA, or ImageTag.gitSha({ sha }).");
      expect(message).not.toMatch(/^fatal:|spawnSync git ENOENT$/m);
    });

    test.each<[string, () => ReturnType<typeof build>, string]>([
      ['-c cdk-container-function:gitSha=<sha>', () => build(repo, undefined, { 'cdk-container-function:gitSha': SHA }), "context 'cdk-container-function:gitSha'"],
      ['a CI variable (GITHUB_SHA)', () => { process.env.GITHUB_SHA = SHA; return build(repo); }, '$GITHUB_SHA'],
      ['ImageTag.gitSha({ sha })', () => build(repo, ImageTag.gitSha({ sha: SHA })), 'ImageTag.gitSha({ sha })'],
    ])('the fallback %s tags the image, with one warning naming the fix', (__, synth, source) => {
      const { fn, stack } = synth();
      expect(fn.imageTag).toBe(`${SHA.slice(0, 12)}-${fn.imageAsset!.assetHash}`);
      const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(GIT_UNREADABLE_WARNING));
      expect(warnings).toHaveLength(1);
      expect(String(warnings[0].entry.data)).toMatch(reason);
      expect(String(warnings[0].entry.data)).toContain(`image tags use the SHA from ${source}, and no one checked that the build contexts match that commit.`);
      expect(String(warnings[0].entry.data)).toMatch(fix);
    });

    test('allowDirty: false cannot be honoured without git: an error naming the fix, even with a SHA passed', () => {
      expect(() => build(repo, ImageTag.gitSha({ allowDirty: false }), { 'cdk-container-function:gitSha': SHA }))
        .toThrow(new RegExp(`^S/Fn: ${reason.source}, so whether the build context .* holds changes the commit does not pin cannot be checked, and allowDirty is false\\. ${fix.source}`));
    });
  });

  test('a readable repository with the same fallbacks set: git decides and nothing warns', () => {
    process.env.GITHUB_SHA = SHA;
    const { fn, stack } = build(repo, undefined, { 'cdk-container-function:gitSha': SHA });
    expect(fn.imageTag).toBe(`${repo.head().slice(0, 12)}-${fn.imageAsset!.assetHash}`);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(GIT_UNREADABLE_WARNING))).toEqual([]);
  });
});

import * as crypto from 'crypto';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ImageRepository } from '../../lib';
import { finalImageTag } from '../../lib/image/image-tag';
import { LifecycleRule, ModelRepository, evaluate } from '../support/ecr-lifecycle-model';

/** The rules ImageRepository really synthesizes. */
function ourRules(): LifecycleRule[] {
  const stack = new Stack(new App(), 'S');
  new ImageRepository(stack, 'Images');
  const repository = Object.values(Template.fromStack(stack).findResources('AWS::ECR::Repository'))[0] as any;
  return JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
}

/** The policy this library shipped before: keep the newest 50 tagged images of the repository. */
const PREVIOUS_RULES: LifecycleRule[] = [
  { rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 1, countUnit: 'days' }, action: { type: 'expire' } },
  { rulePriority: 2, selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 50 }, action: { type: 'expire' } },
];

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** Deterministic pseudo-random numbers, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

type Kind = 'every-commit' | 'never' | 'sometimes' | 'reverts';

interface Outcome {
  /** Deploys after which some image that the current or an earlier deploy referenced was gone. */
  readonly violations: Array<{ deploy: number; function: string; tag: string; deployedAt: number }>;
  readonly untaggedLeftAfterTwoDays: number;
  readonly images: number;
}

/**
 * Drives `deploys` commits of an app with 60 functions through the real tag code and a lifecycle policy,
 * two commits a day, one lifecycle evaluation a day. Each deploy copies every function's image under
 * its tag (a tag already there is a no-op; a new tag on content that exists adds the tag to that image,
 * as a revert does). Some copies are interrupted and leave an untagged image.
 */
function simulate(rules: LifecycleRule[], deploys: number, seed: number): Outcome {
  const next = random(seed);
  const kinds: Kind[] = [
    ...Array<Kind>(10).fill('every-commit'), ...Array<Kind>(20).fill('never'),
    ...Array<Kind>(20).fill('sometimes'), ...Array<Kind>(10).fill('reverts'),
  ];
  const functions = kinds.map((kind, i) => ({
    name: `fn${i}`,
    kind,
    content: 0,
    history: [0] as number[],
    label: sha256('commit-0').slice(0, 12),
  }));
  // Two functions of the same image (one Dockerfile, another cmd): they share its tag and copy.
  const sharing = (i: number) => (i === 1 ? 0 : i);
  const repository = new ModelRepository();
  const referenced: Array<Map<string, string>> = []; // per deploy: function -> tag
  const violations: Outcome['violations'] = [];
  let untaggedLeftAfterTwoDays = 0;
  const interrupted: Array<{ digest: string; day: number }> = [];

  for (let deploy = 1; deploy <= deploys; deploy++) {
    const day = Math.floor(deploy / 2);
    const commit = sha256(`commit-${deploy}`).slice(0, 12);
    for (const fn of functions) {
      const change = fn.kind === 'every-commit' || (fn.kind === 'sometimes' && next() < 0.2) || (fn.kind === 'reverts' && next() < 0.3);
      if (!change) continue;
      if (fn.kind === 'reverts' && fn.history.length > 1 && next() < 0.5) {
        fn.content = fn.history[Math.floor(next() * fn.history.length)]; // back to an earlier image
      } else {
        fn.content = fn.history.length;
        fn.history.push(fn.content);
      }
      fn.label = commit; // the commit that last changed the inputs
    }
    const tags = new Map<string, string>();
    for (const [i, fn] of functions.entries()) {
      const owner = functions[sharing(i)];
      const assetHash = sha256(`${owner.name}@${owner.content}`);
      const tag = finalImageTag(fn.name, { mode: 'copy', version: owner.label, dirty: false }, assetHash);
      // Same build inputs, same manifest: the asset repository is immutable and the copy keeps the digest.
      repository.push(sha256(`manifest:${assetHash}`), tag, day);
      tags.set(fn.name, tag);
    }
    if (next() < 0.1) {
      const digest = sha256(`interrupted-${deploy}`);
      repository.push(digest, undefined, day);
      interrupted.push({ digest, day });
    }
    referenced.push(tags);
    if (deploy % 2 === 1) {
      repository.applyLifecycle(rules, day);
      for (const [d, refs] of referenced.entries()) {
        for (const [name, tag] of refs) {
          if (!repository.has(tag)) violations.push({ deploy, function: name, tag, deployedAt: d + 1 });
        }
      }
      untaggedLeftAfterTwoDays += interrupted.filter(u => day - u.day > 2 && repository.images.has(u.digest)).length;
    }
  }
  return { violations, untaggedLeftAfterTwoDays, images: repository.images.size };
}

describe('the default lifecycle never deletes what runs, or what a rollback needs (ECR evaluation model)', () => {
  test('300 deploys of 60 functions: every image referenced by the current deploy or any earlier one is kept', () => {
    const outcome = simulate(ourRules(), 300, 7);
    expect(outcome.violations).toEqual([]);
    expect(outcome.images).toBeGreaterThan(1000); // the run did push many images
  });

  test.each([1, 2, 3])('the same holds for other random histories (seed %p)', seed => {
    expect(simulate(ourRules(), 300, seed).violations).toEqual([]);
  });

  test('untagged leftovers of interrupted copies still expire', () => {
    expect(simulate(ourRules(), 300, 7).untaggedLeftAfterTwoDays).toBe(0);
  });

  test('the model has teeth: the previous "keep the newest 50 tagged images" policy deletes images that deployed functions run', () => {
    const outcome = simulate(PREVIOUS_RULES, 300, 7);
    const running = outcome.violations.filter(v => v.deployedAt === v.deploy);
    expect(running.length).toBeGreaterThan(0);
    // The victims are functions that never or rarely change: their image was pushed long ago.
    expect(running.some(v => Number(v.function.slice(2)) >= 10 && Number(v.function.slice(2)) < 30)).toBe(true);
  });
});

describe('the evaluation model follows ECR\'s documented rules', () => {
  const expireAfter = (days: number, extra: Partial<LifecycleRule['selection']> = {}, priority = 2): LifecycleRule =>
    ({ rulePriority: priority, selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'sinceImagePushed', countNumber: days, countUnit: 'days', ...extra }, action: { type: 'expire' } });

  test('adding a tag to an existing image does not refresh its push time', () => {
    const repository = new ModelRepository();
    repository.push('d1', 'v1', 0);
    repository.push('d1', 'v2', 100);
    expect(repository.images.get('d1')!.pushedAt).toBe(0);
    expect(repository.applyLifecycle([expireAfter(30)], 101)).toEqual(['d1']);
  });

  test('an image selected by a higher-priority rule cannot be expired by a lower one, but still counts', () => {
    const repository = new ModelRepository();
    repository.push('old', 'keep-1', 0);
    repository.push('mid', 'x-2', 1);
    repository.push('new', 'x-3', 2);
    const protect: LifecycleRule = { rulePriority: 1, selection: { tagStatus: 'tagged', tagPrefixList: ['keep-'], countType: 'imageCountMoreThan', countNumber: 100 }, action: { type: 'expire' } };
    const keepOne: LifecycleRule = { rulePriority: 2, selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } };
    expect(evaluate([...repository.images.values()], [keepOne, protect], 3).sort()).toEqual(['mid']);
  });

  test('prefix and pattern lists need every entry matched by some tag', () => {
    const repository = new ModelRepository();
    repository.push('both', 'prod-1', 0);
    repository.images.get('both')!.tags.add('release-1');
    repository.push('one', 'prod-2', 0);
    expect(evaluate([...repository.images.values()], [expireAfter(1, { tagPatternList: ['prod-*', 'release-*'] })], 5)).toEqual(['both']);
    expect(evaluate([...repository.images.values()], [expireAfter(1, { tagPatternList: undefined, tagPrefixList: ['prod-'] })], 5).sort()).toEqual(['both', 'one']);
  });

  test('moving a tag to another image leaves the old one untagged, where the untagged rule finds it', () => {
    const repository = new ModelRepository();
    repository.push('a', 't', 0);
    repository.push('b', 't', 1);
    expect(repository.images.get('a')!.tags.size).toBe(0);
    expect(repository.applyLifecycle(ourRules(), 3)).toEqual(['a']);
  });
});

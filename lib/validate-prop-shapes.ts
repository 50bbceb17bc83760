import { aws_logs as logs } from 'aws-cdk-lib';
import { invalidInput } from './errors';
import { ShapeProblem, describeValue, firstProblem, hasMembers } from './input-shape';
import { lambdaArchitecture, LAMBDA_ARCHITECTURES } from './lambda-facts';

/** The props whose shape JavaScript callers get wrong (the values are checked by validateFunctionOptions and planImage). */
interface ShapedProps {
  readonly image?: unknown;
  readonly architecture?: unknown;
  readonly timeout?: unknown;
  readonly memorySize?: unknown;
  readonly maxImageSize?: unknown;
  readonly tag?: unknown;
  readonly repository?: unknown;
  readonly logRetention?: unknown;
}

/**
 * Checks that each prop is the kind of thing its type says, before anything reads it: from JavaScript, `image: {}` or
 * `timeout: 30` would otherwise surface as a TypeError from deep inside. Objects are recognised by shape, not by class,
 * so values made by another copy of aws-cdk-lib (or of this library) still fit.
 */
export function validatePropShapes(path: string, props: ShapedProps | undefined): void {
  if (!props || props.image === undefined || props.image === null) {
    throw invalidInput(path, 'image is required', "Pass image: ContainerImage.fromDockerfile('dir'), fromSource() or fromEcr().");
  }
  const problem = firstProblem(
    imageProblem(props.image),
    architectureProblem(props.architecture),
    durationProblem('timeout', props.timeout),
    memoryProblem(props.memorySize),
    sizeProblem('maxImageSize', props.maxImageSize),
    tagProblem(props.tag),
    repositoryProblem(props.repository),
    retentionProblem(props.logRetention),
  );
  if (problem) throw invalidInput(path, ...problem);
}

function imageProblem(image: unknown): ShapeProblem | undefined {
  if (typeof (image as { _bind?: unknown })._bind === 'function') return undefined;
  return [`image is not a ContainerImage (got ${describeValue(image)})`, typeof image === 'string'
    ? `Pass ContainerImage.fromDockerfile('${image}'), or ContainerImage.fromSource('${image}', { base, handler }).`
    : "Pass ContainerImage.fromDockerfile('dir'), fromSource() or fromEcr()."];
}

function architectureProblem(architecture: unknown): ShapeProblem | undefined {
  if (architecture === undefined || (hasMembers(architecture, 'name', 'dockerPlatform') && typeof (architecture as { name: unknown }).name === 'string')) return undefined;
  const known = typeof architecture === 'string' ? lambdaArchitecture(architecture) : undefined;
  const unknownName = typeof architecture === 'string' && !known
    ? `, and '${architecture}' is not one Lambda runs (${LAMBDA_ARCHITECTURES.map(a => a.name).join(', ')})` : '';
  return [`architecture is not an Architecture (got ${describeValue(architecture)})${unknownName}`,
    known ? `Use Architecture.${known.name === 'arm64' ? 'ARM_64' : 'X86_64'}.` : 'Use Architecture.X86_64 or Architecture.ARM_64.'];
}

function durationProblem(name: string, value: unknown): ShapeProblem | undefined {
  if (value === undefined || hasMembers(value, 'toSeconds', 'isUnresolved', 'toHumanString')) return undefined;
  return [`${name} is not a Duration (got ${describeValue(value)})`,
    typeof value === 'number' ? `Use Duration.seconds(${value}).` : 'Use Duration.seconds(...) or Duration.minutes(...).'];
}

function memoryProblem(value: unknown): ShapeProblem | undefined {
  if (value === undefined || typeof value === 'number') return undefined;
  const numeric = typeof value === 'string' && /^\d+$/.test(value.trim());
  return [`memorySize must be a number of MB, got ${describeValue(value)}`,
    numeric ? `Pass ${Number(value)} (a number, not text).` : 'Pass a whole number of MB from 128 to 10240.'];
}

function sizeProblem(name: string, value: unknown): ShapeProblem | undefined {
  if (value === undefined || hasMembers(value, 'toBytes', 'isUnresolved')) return undefined;
  return [`${name} is not a Size (got ${describeValue(value)})`, 'Use Size.mebibytes(...) or Size.gibibytes(...).'];
}

function tagProblem(tag: unknown): ShapeProblem | undefined {
  if (tag === undefined || typeof (tag as { _plan?: unknown })?._plan === 'function') return undefined;
  const example = typeof tag === 'string' && tag ? tag : '1.2.3';
  return [`tag is not an ImageTag (got ${describeValue(tag)})`, `Use ImageTag.of('${example}'), ImageTag.gitSha() or ImageTag.assetHash().`];
}

function repositoryProblem(repository: unknown): ShapeProblem | undefined {
  if (repository === undefined || hasMembers(repository, 'node', 'repositoryName')) return undefined;
  const example = typeof repository === 'string' && repository ? repository : 'my-images';
  return [`repository is not an ECR repository (got ${describeValue(repository)})`,
    `Pass one, e.g. ecr.Repository.fromRepositoryName(this, 'Images', '${example}').`];
}

function retentionProblem(retention: unknown): ShapeProblem | undefined {
  if (retention === undefined || typeof retention === 'number') return undefined;
  const named = typeof retention === 'string' && typeof (logs.RetentionDays as unknown as Record<string, unknown>)[retention] === 'number';
  return [`logRetention is not a RetentionDays (got ${describeValue(retention)})`,
    named ? `Use logs.RetentionDays.${retention}.` : 'Use a logs.RetentionDays value, e.g. logs.RetentionDays.ONE_MONTH.'];
}

import * as crypto from 'crypto';
import { Stack, aws_ecr as ecr, aws_ecr_assets as ecr_assets, aws_iam as iam, aws_lambda as lambda, aws_logs as logs } from 'aws-cdk-lib';
import { DockerImageName, ECRDeployment } from 'cdk-ecr-deployment';
import { Construct } from 'constructs';
import { COPIER_ROLE_PATH, copierRoleArn, copierRoleName } from './copier-role-identity';
import { copyFunctionId, copyFunctionOf } from './ecr-deployment-internals';
import { ensureFunctionLogGroup } from '../function-log-group';
import { DEFAULT_REPOSITORY_ID } from './image-repository';

/** Where one copy goes: the repository, the tag, and the image URI the function runs (built once, by the delivery). */
export interface CopyDestination {
  readonly repository: ecr.IRepository;
  readonly tag: string;
  readonly imageUri: string;
}

/**
 * cdk-ecr-deployment keeps one copy function per stack and memory size (a SingletonFunction), and the
 * first ECRDeployment of a size decides its role. Ours uses a size of its own, so a user's
 * ECRDeployment (512 MiB by default) keeps its own function and role.
 */
export const COPY_FUNCTION_MEMORY_MIB = 1792;

/** How long the copy function's logs (one entry per image copied at deploy) are kept. */
export const COPY_LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/**
 * One per stack: the role cdk-ecr-deployment's copy function runs as, and one copy per distinct
 * image and destination repository. The role may pull only the asset repositories and push only the
 * destination repositories in use.
 */
export class ImageCopier extends Construct {
  public static forStack(scope: Construct): ImageCopier {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(ID) as ImageCopier) ?? new ImageCopier(stack, ID);
  }

  /** Execution role of the copy function. */
  public readonly role: iam.Role;
  /**
   * The role's ARN as a string any stack of this environment can hold without referencing this stack (the role has a
   * fixed name): what a repository's policy names to let this copier push.
   */
  public readonly portableRoleArn: string;
  private readonly granted = new Set<string>();
  private readonly copies = new Map<string, ECRDeployment>();
  private logsPolicy?: iam.Policy;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'CopyRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      path: COPIER_ROLE_PATH,
      roleName: copierRoleName(stack),
      description: 'Copies built container images from the CDK asset repository to their tagged repository.',
    });
    this.portableRoleArn = copierRoleArn(stack);
    this.node.addValidation({ validate: () => this.foreignDeploymentsOnOurFunction() });
  }

  /**
   * The copy of `asset` to `destination:tag`, created once per tag and repository: functions that
   * share an image (and so its tag) share its copy. The construct id is the tag, which ends with the
   * asset hash: a new image is a new resource (a rollback deletes it and never re-runs the old one),
   * and an unchanged image keeps its resource untouched.
   */
  public copy(asset: ecr_assets.DockerImageAsset, destination: CopyDestination, imageArch: string): ECRDeployment {
    const { repository, tag } = destination;
    const destinationKey = repositoryKey(this, repository);
    const id = destinationKey.isDefault ? `Copy-${tag}` : `Copy-${tag}-To${destinationKey.key}`;
    const existing = this.copies.get(id);
    if (existing) return existing;
    this.checkSingletonRole();
    this.allow(asset.repository, repository);
    const copy = new ECRDeployment(this, id, {
      src: new DockerImageName(asset.imageUri),
      dest: new DockerImageName(destination.imageUri),
      imageArch: [imageArch],
      memoryLimit: COPY_FUNCTION_MEMORY_MIB,
      // cdk-ecr-deployment grants its role push to every repository ('*'): an immutable view of ours drops that.
      role: this.role.withoutPolicyUpdates(),
    });
    copy.node.addDependency(this.role);
    copy.node.addDependency(this.logsPolicyFor(copy));
    this.copies.set(id, copy);
    return copy;
  }

  /** Lets the copier read `source` and write `destination` (grantPull adds the registry login, which ECR grants only on '*'). */
  private allow(source: ecr.IRepository, destination: ecr.IRepository): void {
    const stack = Stack.of(this);
    const key = `${JSON.stringify(stack.resolve(source.repositoryArn))}->${JSON.stringify(stack.resolve(destination.repositoryArn))}`;
    if (this.granted.has(key)) return;
    this.granted.add(key);
    source.grantPull(this.role);
    destination.grantPullPush(this.role);
  }

  /**
   * The copy function logs to one log group of its own, with finite retention (cdk-ecr-deployment makes
   * none, and Lambda would create `/aws/lambda/<name>` that never expires), and may write only there.
   */
  private logsPolicyFor(copy: ECRDeployment): iam.Policy {
    if (!this.logsPolicy) {
      const logGroup = ensureFunctionLogGroup(copyFunctionOf(copy), { retention: COPY_LOG_RETENTION });
      // A separate policy: the function depends on its role's default policy, and under useCdkManagedLogGroup the log
      // group is named after the function. The copies depend on this policy, so they run once the log group exists.
      this.logsPolicy = new iam.Policy(this, 'CopyLogs', {
        roles: [this.role],
        statements: [new iam.PolicyStatement({
          sid: 'OwnLogGroup',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          // The log group's Arn attribute ends with ':*': its streams.
          resources: [logGroup.logGroupArn],
        })],
      });
    }
    return this.logsPolicy;
  }

  /** Before our first copy: if an ECRDeployment of our memory size already made the singleton, it runs with its role, not ours. */
  private checkSingletonRole(): void {
    const existing = Stack.of(this).node.tryFindChild(SINGLETON_ID) as lambda.Function | undefined;
    const stack = Stack.of(this);
    const sameRole = existing && JSON.stringify(stack.resolve(existing.role?.roleArn)) === JSON.stringify(stack.resolve(this.role.roleArn));
    if (existing && !sameRole) {
      throw new Error(`${this.node.path}: an ECRDeployment with memoryLimit ${COPY_FUNCTION_MEMORY_MIB} already exists in ${Stack.of(this).node.path}, and cdk-ecr-deployment ` +
        'runs every ECRDeployment of one memory size with the first one\'s role. Give your ECRDeployment another memoryLimit (e.g. the default 512).');
    }
  }

  /** After construction: an ECRDeployment created after ours with our memory size would silently run with our role. */
  private foreignDeploymentsOnOurFunction(): string[] {
    const ours = Stack.of(this).node.tryFindChild(SINGLETON_ID);
    if (!ours) return [];
    return Stack.of(this).node.findAll()
      .filter((c): c is ECRDeployment => c instanceof ECRDeployment && c.node.scope !== this)
      .filter(c => copyFunctionOf(c) === ours)
      .map(c => `${c.node.path}: this ECRDeployment has memoryLimit ${COPY_FUNCTION_MEMORY_MIB}, the size cdk-container-function uses, so cdk-ecr-deployment would run it with the image copier's role instead of its own. Give it another memoryLimit (e.g. the default 512).`);
  }
}

const ID = 'ContainerFunctionImageCopier';
const SINGLETON_ID = copyFunctionId(COPY_FUNCTION_MEMORY_MIB);

/**
 * A destination's identity in construct ids: the stack's own repository needs none; any other is
 * named by a short hash of its resolved ARN, so a repository imported twice by name is one destination.
 */
function repositoryKey(copier: Construct, destination: ecr.IRepository): { isDefault: boolean; key: string } {
  const stack = Stack.of(copier);
  if (destination === stack.node.tryFindChild(DEFAULT_REPOSITORY_ID)) return { isDefault: true, key: '' };
  const arn = JSON.stringify(stack.resolve(destination.repositoryArn));
  return { isDefault: false, key: crypto.createHash('sha256').update(arn).digest('hex').slice(0, 8) };
}

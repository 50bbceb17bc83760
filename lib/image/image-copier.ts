import * as path from 'path';
import { ArnFormat, CustomResourceProvider, CustomResourceProviderRuntime, Stack, aws_ecr as ecr, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * One per stack: the role cdk-ecr-deployment's copy function runs as, and the provider of the tag
 * guard. Both get only the repositories the stack's functions actually use.
 */
export class ImageCopier extends Construct {
  public static forStack(scope: Construct): ImageCopier {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(ID) as ImageCopier) ?? new ImageCopier(stack, ID);
  }

  /** Execution role of the copy function. */
  public readonly role: iam.Role;
  /** Provider of the `Custom::ImageTagGuard` resources. */
  public readonly guardProvider: CustomResourceProvider;
  private readonly granted = new Set<string>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new iam.Role(this, 'CopyRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies built container images from the CDK asset repository to their tagged repository.',
    });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'RegistryLogin',
      actions: ['ecr:GetAuthorizationToken'],
      resources: ['*'], // ECR authorizes logins per registry, not per repository.
    }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'Logs',
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/lambda/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
    }));
    this.guardProvider = CustomResourceProvider.getOrCreateProvider(this, 'Custom::ImageTagGuard', {
      codeDirectory: path.join(__dirname, 'assets', 'tag-guard'),
      runtime: CustomResourceProviderRuntime.NODEJS_22_X,
      description: 'Checks that an image tag is absent or already holds the image being deployed.',
    });
  }

  /** Lets the copier read `source` and write `destination`, and the guard read both. */
  public allow(source: ecr.IRepository, destination: ecr.IRepository): void {
    const key = `${Stack.of(this).resolve(source.repositoryArn)}->${Stack.of(this).resolve(destination.repositoryArn)}`;
    if (this.granted.has(key)) return;
    this.granted.add(key);
    source.grantPull(this.role);
    destination.grantPullPush(this.role);
    this.guardProvider.addToRolePolicy({
      Effect: 'Allow',
      Action: ['ecr:BatchGetImage'],
      Resource: [source.repositoryArn, destination.repositoryArn],
    });
  }
}

const ID = 'ContainerFunctionImageCopier';

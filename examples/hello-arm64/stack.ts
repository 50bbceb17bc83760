import { Stack, StackProps, aws_lambda as lambda } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as path from 'path';
import { ContainerFunction, ContainerImage, ImageTag } from '../../lib';
import { suppressLibraryFindings } from '../shared/nag-suppressions';

/** A minimal arm64 (Graviton) function: built for linux/arm64 and tagged with the git SHA. */
export class HelloArm64Stack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    new ContainerFunction(this, 'Hello', {
      image: ContainerImage.fromDockerfile(path.join(__dirname, 'function')),
      architecture: lambda.Architecture.ARM_64,
      tag: ImageTag.gitSha({ length: 12 }),
    });
    suppressLibraryFindings(this);
  }
}

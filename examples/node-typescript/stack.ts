import * as path from 'path';
import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ContainerFunction, ContainerImage, LambdaBaseImage } from '../../lib';
import { suppressLibraryFindings } from '../shared/nag-suppressions';

/**
 * A TypeScript function compiled in a build stage: TypeScript and the other dev dependencies stay
 * there; the function image gets `dist/` and the production `node_modules` only.
 */
export class NodeTypescriptStack extends Stack {
  public readonly fn: ContainerFunction;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.fn = new ContainerFunction(this, 'Fn', {
      image: ContainerImage.fromSource(path.join(__dirname, 'function'), {
        base: LambdaBaseImage.NODEJS_22,
        handler: 'index.handler',
        buildCommand: 'npm run build',
        buildOutput: 'dist',
      }),
    });
    suppressLibraryFindings(this);
  }
}

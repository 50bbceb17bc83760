import * as path from 'path';
import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ContainerFunction, ContainerImage, LambdaBaseImage } from '../../lib';
import { suppressLibraryFindings } from '../shared/nag-suppressions';

/**
 * A Python function without a Dockerfile: the library generates a multi-stage one. Its
 * requirements.txt names a local package with a C extension, so gcc is installed in the
 * dependency stage only; the function image gets the compiled module and not the compiler.
 */
export class PythonFromSourceStack extends Stack {
  public readonly fn: ContainerFunction;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.fn = new ContainerFunction(this, 'Fn', {
      image: ContainerImage.fromSource(path.join(__dirname, 'function'), {
        base: LambdaBaseImage.PYTHON_3_13,
        handler: 'app.lambda_handler',
        systemPackages: ['gcc'],
      }),
    });
    suppressLibraryFindings(this);
  }
}

import * as os from 'os';
import * as path from 'path';
import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ContainerFunction, ContainerImage, LambdaBaseImage, SourceBuildSecret } from '../../lib';
import { suppressLibraryFindings } from '../shared/nag-suppressions';

/**
 * The seed's private-index scenario done right. The seed passed
 * `PIP_INDEX_URL=https://user:password@...` as a build argument, which stays readable in the
 * image history forever. Here the URL is a file on the deploying machine, handed to pip as a
 * BuildKit secret on the install step only: not in ARG, ENV, `docker history` or any layer.
 */
export class PrivateDepsStack extends Stack {
  public readonly fn: ContainerFunction;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    // Where `cdk deploy` finds the index URL (see README). Synth works without the file (with a
    // warning); the image build at deploy time needs it.
    const indexUrlFile = process.env.ACME_PIP_INDEX_URL_FILE ?? path.join(os.homedir(), '.config', 'acme', 'pip-index-url');
    this.fn = new ContainerFunction(this, 'Fn', {
      image: ContainerImage.fromSource(path.join(__dirname, 'function'), {
        base: LambdaBaseImage.PYTHON_3_13,
        handler: 'app.lambda_handler',
        buildSecrets: [SourceBuildSecret.pipIndexUrl(indexUrlFile)],
      }),
    });
    suppressLibraryFindings(this);
  }
}

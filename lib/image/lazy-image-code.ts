import { Lazy, aws_lambda as lambda } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Image settings that are only known after the function exists (its asset, its tag). */
export interface LazyImage {
  imageUri?: string;
  cmd?: string[];
  entrypoint?: string[];
  workingDirectory?: string;
}

/**
 * Code whose image URI is filled in after the function is constructed, so the asset and the copy can
 * be the function's own children while `DockerImageFunction` still gets its code in the constructor.
 */
export class LazyImageCode extends lambda.DockerImageCode {
  constructor(private readonly image: LazyImage) {
    super();
  }

  public _bind(): lambda.Code {
    return new LazyCode(this.image);
  }
}

class LazyCode extends lambda.Code {
  public readonly isInline = false;
  constructor(private readonly image: LazyImage) {
    super();
  }

  public bind(scope: Construct): lambda.CodeConfig {
    const image = this.image;
    // Function binds its code inside its constructor, before the asset exists: resolve at synth.
    const imageUri = Lazy.string({
      produce: () => {
        if (!image.imageUri) throw new Error(`${scope.node.path}: the image was never set up. This is a bug in cdk-container-function.`);
        return image.imageUri;
      },
    });
    return { image: { imageUri, cmd: image.cmd, entrypoint: image.entrypoint, workingDirectory: image.workingDirectory } };
  }
}

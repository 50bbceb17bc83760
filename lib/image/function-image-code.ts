import { Lazy, aws_lambda as lambda } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** The image settings known before the function exists (from the image plan). */
export interface ImageCodeSettings {
  readonly cmd?: string[];
  readonly entrypoint?: string[];
  readonly workingDirectory?: string;
}

/** A function that states its image URI once constructed (`ContainerFunction.imageUri`). */
interface ImageUriOwner {
  readonly imageUri?: string;
}

/**
 * Code whose image URI is the function's own `imageUri`, read at synth: `DockerImageFunction` takes its code in its
 * constructor, before the asset and the copy can be the function's children, so a `Lazy` carries the URI there
 * (nothing is patched after `super()`).
 */
export class FunctionImageCode extends lambda.DockerImageCode {
  constructor(private readonly settings: ImageCodeSettings) {
    super();
  }

  public _bind(): lambda.Code {
    return new FunctionImageUriCode(this.settings);
  }
}

class FunctionImageUriCode extends lambda.Code {
  public readonly isInline = false;
  constructor(private readonly settings: ImageCodeSettings) {
    super();
  }

  /** `scope` is the function being constructed: its `imageUri` is set by the end of its constructor. */
  public bind(scope: Construct): lambda.CodeConfig {
    const owner = scope as ImageUriOwner;
    const imageUri = Lazy.string({
      produce: () => {
        if (!owner.imageUri) throw new Error(`${scope.node.path}: the image was never set up. This is a bug in cdk-container-function.`);
        return owner.imageUri;
      },
    });
    return { image: { imageUri, ...this.settings } };
  }
}

import { LambdaBaseImage } from './base-image';
import { SourceBuildSecret } from './build-secret';
import { DetectedProject } from './project';

/** Everything the pure generator needs; built by stage-source.ts from the options and the directory. */
export interface GeneratorSpec {
  readonly base: LambdaBaseImage;
  readonly handler: string;
  readonly project: DetectedProject;
  readonly buildCommand?: string;
  readonly buildOutput?: string;
  readonly systemPackages: string[];
  readonly runtimeSystemPackages: string[];
  readonly secrets: SourceBuildSecret[];
  readonly environment: { [key: string]: string };
  readonly exclude: string[];
  readonly buildImage?: string;
}

/** A named stage: `FROM <from> AS <name>` followed by instructions. */
export interface Stage {
  readonly name: string;
  readonly from: string;
  readonly lines: string[];
}

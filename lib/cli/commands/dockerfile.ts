// `cdk-container-function dockerfile`: prints the Dockerfile (and optionally the .dockerignore) that
// ContainerImage.fromSource would generate for a directory, without synthesizing or deploying.
import { Command } from 'commander';
import { LambdaBaseImage } from '../../dockerfile/base-image';
import { SourceImageOptions } from '../../dockerfile/options';
import { stageSourceImage } from '../../dockerfile/stage-source';
import { AWS_BASE_IMAGES } from '../../lambda-facts';

// The LambdaBaseImage constants, from the one table they are built from.
const BASES = AWS_BASE_IMAGES.map(b => b.constant);

/** Adds the `dockerfile` subcommand to `program` (or configures `program` itself, for the legacy bin). */
export function configureDockerfileCommand(command: Command): Command {
  return command
    .description('print the Dockerfile ContainerImage.fromSource() generates for a source directory')
    .argument('<directory>', 'function source directory')
    .requiredOption('--base <name>', `base image: ${BASES.join(', ')}`)
    .requiredOption('--handler <handler>', 'handler, e.g. app.lambda_handler')
    .option('--build-command <command>', 'build command run in the build stage')
    .option('--build-output <dir>', 'directory holding the build output')
    .option('--system-package <name...>', 'build-stage system packages')
    .option('--exclude <pattern...>', 'extra .dockerignore patterns')
    .option('--dockerignore', 'also print the .dockerignore')
    .action((directory: string, opts: any) => {
      if (!BASES.includes(opts.base)) command.error(`unknown base ${opts.base}; one of ${BASES.join(', ')}`, { exitCode: 2 });
      const options: SourceImageOptions = {
        base: (LambdaBaseImage as any)[opts.base],
        handler: opts.handler,
        buildCommand: opts.buildCommand,
        buildOutput: opts.buildOutput,
        systemPackages: opts.systemPackage,
        exclude: opts.exclude,
      };
      try {
        const staged = stageSourceImage('dockerfile', directory, options);
        process.stdout.write(staged.dockerfile);
        if (opts.dockerignore) process.stdout.write('\n# --- .dockerignore ---\n' + staged.dockerignore);
        for (const w of staged.warnings) process.stderr.write(`warning ${w.id}: ${w.message}\n`);
      } catch (e) {
        command.error((e as Error).message, { exitCode: 2 });
      }
    });
}

#!/usr/bin/env node
// Prints the Dockerfile (and optionally the .dockerignore) ContainerImage.fromSource would generate
// for a directory, without synthesizing or deploying. Internal tool, not part of the jsii API.
//   npx ts-node --prefer-ts-exts lib/cli/print-dockerfile.ts functions/csv --base PYTHON_3_13 --handler app.lambda_handler
import { Command } from 'commander';
import { LambdaBaseImage } from '../dockerfile/base-image';
import { SourceImageOptions } from '../dockerfile/options';
import { stageSourceImage } from '../dockerfile/stage-source';

const BASES = ['PYTHON_3_11', 'PYTHON_3_12', 'PYTHON_3_13', 'PYTHON_3_14', 'NODEJS_20', 'NODEJS_22', 'NODEJS_24',
  'JAVA_21', 'JAVA_25', 'PROVIDED_AL2023'];

const program = new Command()
  .name('print-dockerfile')
  .argument('<directory>', 'function source directory')
  .requiredOption('--base <name>', `base image: ${BASES.join(', ')}`)
  .requiredOption('--handler <handler>', 'handler, e.g. app.lambda_handler')
  .option('--build-command <command>', 'build command run in the build stage')
  .option('--build-output <dir>', 'directory holding the build output')
  .option('--system-package <name...>', 'build-stage system packages')
  .option('--exclude <pattern...>', 'extra .dockerignore patterns')
  .option('--dockerignore', 'also print the .dockerignore')
  .action((directory: string, opts: any) => {
    if (!BASES.includes(opts.base)) program.error(`unknown base ${opts.base}; one of ${BASES.join(', ')}`);
    const options: SourceImageOptions = {
      base: (LambdaBaseImage as any)[opts.base],
      handler: opts.handler,
      buildCommand: opts.buildCommand,
      buildOutput: opts.buildOutput,
      systemPackages: opts.systemPackage,
      exclude: opts.exclude,
    };
    try {
      const staged = stageSourceImage('print-dockerfile', directory, options);
      process.stdout.write(staged.dockerfile);
      if (opts.dockerignore) process.stdout.write('\n# --- .dockerignore ---\n' + staged.dockerignore);
      for (const w of staged.warnings) process.stderr.write(`warning ${w.id}: ${w.message}\n`);
    } catch (e) {
      program.error((e as Error).message);
    }
  });

program.parse();

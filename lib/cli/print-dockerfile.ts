#!/usr/bin/env node
// Legacy bin name `cdk-container-function-dockerfile`: an alias of `cdk-container-function dockerfile`.
import { Command } from 'commander';
import { configureDockerfileCommand } from './commands/dockerfile';

configureDockerfileCommand(new Command().name('cdk-container-function-dockerfile')).parse();

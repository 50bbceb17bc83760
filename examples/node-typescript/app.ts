import { App } from 'aws-cdk-lib';
import { NodeTypescriptStack } from './stack';

const app = new App();
new NodeTypescriptStack(app, 'NodeTypescript');
app.synth();

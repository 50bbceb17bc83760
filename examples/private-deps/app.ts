import { App } from 'aws-cdk-lib';
import { PrivateDepsStack } from './stack';

const app = new App();
new PrivateDepsStack(app, 'PrivateDeps');
app.synth();

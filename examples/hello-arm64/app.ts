import { App } from 'aws-cdk-lib';
import { HelloArm64Stack } from './stack';

const app = new App();
new HelloArm64Stack(app, 'HelloArm64');
app.synth();

import { App } from 'aws-cdk-lib';
import { PythonFromSourceStack } from './stack';

const app = new App();
new PythonFromSourceStack(app, 'PythonFromSource');
app.synth();

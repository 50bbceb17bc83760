import { App } from 'aws-cdk-lib';
import { CsvProcessorStack } from './stack';

const app = new App();
new CsvProcessorStack(app, 'CsvProcessor');
app.synth();

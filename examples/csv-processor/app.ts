import { App, Aspects } from 'aws-cdk-lib';
import { CsvProcessorStack } from './stack';
import { ContainerImageChecks } from '../../lib';

const app = new App();
new CsvProcessorStack(app, 'CsvProcessor');
// Reviews every container-image function in the app at synth (findings print with `cdk synth`).
Aspects.of(app).add(new ContainerImageChecks());
app.synth();

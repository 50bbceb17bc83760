import { CfnOutput, Duration, RemovalPolicy, Stack, StackProps, aws_s3 as s3 } from 'aws-cdk-lib';
import { S3EventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import * as path from 'path';
import { ContainerFunction, ContainerImage } from '../../lib';
import { suppressLibraryFindings } from '../shared/nag-suppressions';

/** A versioned bucket whose new CSV objects are summarized by a container-image function. */
export class CsvProcessorStack extends Stack {
  public readonly processor: ContainerFunction;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const uploads = new s3.Bucket(this, 'Uploads', {
      versioned: true,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.processor = new ContainerFunction(this, 'Processor', {
      image: ContainerImage.fromDockerfile(path.join(__dirname, 'function')),
      memorySize: 1024,
      timeout: Duration.minutes(2),
      description: 'Summarizes CSV files uploaded to the bucket.',
    });

    // Read only: the function never writes, so it gets s3:GetObject* / List* on this bucket, not SAM's S3CrudPolicy.
    uploads.grantRead(this.processor);
    this.processor.addEventSource(new S3EventSource(uploads, { events: [s3.EventType.OBJECT_CREATED] }));

    new CfnOutput(this, 'BucketName', { value: uploads.bucketName });

    suppressLibraryFindings(this);
    NagSuppressions.addResourceSuppressions(uploads, [
      { id: 'AwsSolutions-S1', reason: 'Example bucket: access logging would need a second bucket; enable it in production.' },
    ]);
    NagSuppressions.addResourceSuppressions(this.processor, [
      { id: 'AwsSolutions-IAM5', reason: 'grantRead covers every object in the uploads bucket, which is the function\'s job.', appliesTo: ['Action::s3:GetBucket*', 'Action::s3:GetObject*', 'Action::s3:List*', { regex: '/^Resource::<Uploads[0-9A-F]+\\.Arn>\\/\\*$/' }] },
    ], true);
  }
}

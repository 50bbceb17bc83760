// S3 ObjectCreated:Put notification. @see https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html
import { EventContext } from './context';

export function s3Put(c: EventContext): object {
  const bucket = c.o.bucket ?? 'amzn-s3-demo-bucket';
  const key = c.o.key ?? 'uploads/example.csv';
  const size = Buffer.byteLength(c.o.body ?? 'a,b\n1,2\n');
  return {
    Records: [{
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: c.o.region,
      eventTime: c.now.toISOString(),
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: `AWS:${c.hex('principal', 21).toUpperCase()}` },
      requestParameters: { sourceIPAddress: '203.0.113.10' },
      responseElements: { 'x-amz-request-id': c.hex('req', 16).toUpperCase(), 'x-amz-id-2': Buffer.from(c.hex('id2', 48), 'hex').toString('base64') },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'local-notification',
        bucket: { name: bucket, ownerIdentity: { principalId: c.hex('owner', 14).toUpperCase() }, arn: `arn:aws:s3:::${bucket}` },
        // S3 URL-encodes the key in notifications (spaces become '+').
        object: { key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+'), size, eTag: c.hex('etag', 32), sequencer: c.hex('seq', 18).toUpperCase() },
      },
    }],
  };
}

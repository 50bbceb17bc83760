// Kinesis Data Streams record; data is base64, as Lambda delivers it.
// @see https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
import { EventContext } from './context';

export function kinesis(c: EventContext): object {
  const stream = c.o.stream ?? 'my-stream';
  const sequence = `4959${BigInt('0x' + c.hex('seq', 48)).toString().slice(0, 52)}`;
  return {
    Records: [{
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: c.o.partitionKey ?? 'partition-1',
        sequenceNumber: sequence,
        data: Buffer.from(c.o.body ?? 'Hello from Kinesis!').toString('base64'),
        approximateArrivalTimestamp: c.now.getTime() / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000000:${sequence}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: `arn:aws:iam::${c.o.account}:role/lambda-kinesis-role`,
      awsRegion: c.o.region,
      eventSourceARN: `arn:aws:kinesis:${c.o.region}:${c.o.account}:stream/${stream}`,
    }],
  };
}

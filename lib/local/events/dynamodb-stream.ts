// DynamoDB Streams INSERT record (NEW_AND_OLD_IMAGES). @see https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
import { EventContext } from './context';

export function dynamodbStream(c: EventContext): object {
  const table = c.o.table ?? 'my-table';
  const label = c.now.toISOString().replace(/Z$/, '');
  return {
    Records: [{
      eventID: c.hex('event', 32),
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: c.o.region,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(c.now.getTime() / 1000),
        Keys: { Id: { N: '101' } },
        NewImage: { Id: { N: '101' }, Message: { S: c.o.body ?? 'New item!' } },
        SequenceNumber: '111',
        SizeBytes: 26,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: `arn:aws:dynamodb:${c.o.region}:${c.o.account}:table/${table}/stream/${label}`,
    }],
  };
}

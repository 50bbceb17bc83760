// SQS batch with one message. @see https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
import * as crypto from 'crypto';
import { EventContext } from './context';

export function sqs(c: EventContext): object {
  const queue = c.o.queue ?? 'my-queue';
  const body = c.o.body ?? 'Hello from SQS!';
  const sent = String(c.now.getTime());
  return {
    Records: [{
      messageId: c.uuid('message'),
      receiptHandle: `AQEB${Buffer.from(c.hex('receipt', 96), 'hex').toString('base64')}`,
      body,
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: sent, SenderId: c.hex('sender', 21).toUpperCase(), ApproximateFirstReceiveTimestamp: sent },
      messageAttributes: {},
      md5OfBody: crypto.createHash('md5').update(body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${c.o.region}:${c.o.account}:${queue}`,
      awsRegion: c.o.region,
    }],
  };
}

// SNS notification. @see https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
import { EventContext } from './context';

export function sns(c: EventContext): object {
  const topicArn = `arn:aws:sns:${c.o.region}:${c.o.account}:${c.o.topic ?? 'my-topic'}`;
  const subscription = `${topicArn}:${c.uuid('subscription')}`;
  return {
    Records: [{
      EventVersion: '1.0',
      EventSubscriptionArn: subscription,
      EventSource: 'aws:sns',
      Sns: {
        SignatureVersion: '1',
        Timestamp: c.now.toISOString(),
        Signature: Buffer.from(c.hex('signature', 128), 'hex').toString('base64'),
        SigningCertUrl: `https://sns.${c.o.region}.amazonaws.com/SimpleNotificationService-${c.hex('cert', 32)}.pem`,
        MessageId: c.uuid('message'),
        Message: c.o.body ?? 'Hello from SNS!',
        MessageAttributes: {},
        Type: 'Notification',
        UnsubscribeUrl: `https://sns.${c.o.region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscription}`,
        TopicArn: topicArn,
        Subject: 'Local test',
      },
    }],
  };
}

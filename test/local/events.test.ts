import { EVENT_KINDS, sampleEvent } from '../../lib/local/events';

const NOW = new Date('2026-03-04T05:06:07.089Z');

/** Paths of values JSON.stringify would drop, change or refuse (an undefined property is dropped on purpose: absent). */
function valuesJsonWouldChange(value: unknown, at = '$'): string[] {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return [];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${at}: ${value}`];
  if (Array.isArray(value)) return value.flatMap((v, i) => (v === undefined ? [`${at}[${i}]: undefined`] : valuesJsonWouldChange(v, `${at}[${i}]`)));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.entries(value as object).flatMap(([k, v]) => (v === undefined ? [] : valuesJsonWouldChange(v, `${at}.${k}`)));
  }
  return [`${at}: ${typeof value === 'object' ? (value as object).constructor?.name : typeof value}`];
}

describe('sample events', () => {
  test('nine kinds, including the ones SAM lacks', () => {
    expect(Object.keys(EVENT_KINDS).sort()).toEqual(['apigw-http', 'apigw-rest', 'dynamodb-stream', 'eventbridge', 'function-url', 'kinesis', 's3-put', 'sns', 'sqs']);
  });

  test.each(Object.keys(EVENT_KINDS))('%s is JSON, and the same inputs give the same event', kind => {
    const a = sampleEvent(kind, { body: '"b"', path: '/p?q=1' }, NOW);
    // Only values JSON keeps as they are: what the function receives is exactly this object.
    expect(valuesJsonWouldChange(a)).toEqual([]);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    // Nothing comes from the wall clock or chance: the same inputs at another time (and another random state) give the
    // same event, to the byte.
    jest.useFakeTimers({ now: new Date('2031-07-08T09:10:11.123Z') });
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.999);
    try {
      expect(JSON.stringify(sampleEvent(kind, { body: '"b"', path: '/p?q=1' }, NOW))).toBe(JSON.stringify(a));
    } finally {
      random.mockRestore();
      jest.useRealTimers();
    }
  });

  test('s3-put carries bucket, URL-encoded key, region and size', () => {
    const e: any = sampleEvent('s3-put', { bucket: 'b1', key: 'data/my file.csv', body: 'abc', region: 'eu-west-1' }, NOW);
    const r = e.Records[0];
    expect(r).toMatchObject({ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', awsRegion: 'eu-west-1', eventTime: NOW.toISOString() });
    expect(r.s3.bucket).toMatchObject({ name: 'b1', arn: 'arn:aws:s3:::b1' });
    expect(r.s3.object).toMatchObject({ key: 'data/my+file.csv', size: 3 });
  });

  test('sqs: body, md5 and queue ARN', () => {
    const r: any = (sampleEvent('sqs', { body: 'hello', queue: 'q', account: '111122223333' }, NOW) as any).Records[0];
    expect(r).toMatchObject({ body: 'hello', md5OfBody: '5d41402abc4b2a76b9719d911017c592', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:q' });
  });

  test('sns: message and topic', () => {
    const r: any = (sampleEvent('sns', { body: 'm', topic: 't' }, NOW) as any).Records[0];
    expect(r.Sns).toMatchObject({ Message: 'm', TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Type: 'Notification' });
  });

  test('apigw-http is payload 2.0 with route, raw path and query', () => {
    const e: any = sampleEvent('apigw-http', { method: 'post', path: '/orders?x=1&x=2', body: '{"a":1}' }, NOW);
    expect(e).toMatchObject({ version: '2.0', routeKey: 'POST /orders', rawPath: '/orders', rawQueryString: 'x=1&x=2', queryStringParameters: { x: '1,2' }, body: '{"a":1}', isBase64Encoded: false });
    expect(e.requestContext.http).toMatchObject({ method: 'POST', path: '/orders' });
    expect(e.requestContext.timeEpoch).toBe(NOW.getTime());
  });

  test('apigw-rest is the proxy format 1.0', () => {
    const e: any = sampleEvent('apigw-rest', { path: '/items/1?a=b' }, NOW);
    expect(e).toMatchObject({ httpMethod: 'GET', path: '/items/1', queryStringParameters: { a: 'b' }, multiValueQueryStringParameters: { a: ['b'] }, body: null });
    expect(e.requestContext).toMatchObject({ stage: 'prod', httpMethod: 'GET', requestTime: '04/Mar/2026:05:06:07 +0000' });
  });

  test('function-url uses the lambda-url domain and $default route', () => {
    const e: any = sampleEvent('function-url', {}, NOW);
    expect(e.routeKey).toBe('$default');
    expect(e.requestContext.domainName).toMatch(/^[0-9a-f]{32}\.lambda-url\.us-east-1\.on\.aws$/);
  });

  test('eventbridge: source, detail-type and the body as detail', () => {
    const e: any = sampleEvent('eventbridge', { source: 'my.app', detailType: 'Thing Happened', body: '{"k":"v"}' }, NOW);
    expect(e).toMatchObject({ 'version': '0', 'source': 'my.app', 'detail-type': 'Thing Happened', 'detail': { k: 'v' }, 'time': '2026-03-04T05:06:07Z' });
    expect(() => sampleEvent('eventbridge', { body: 'not json' }, NOW)).toThrow(/must be JSON/);
  });

  test('dynamodb-stream and kinesis records', () => {
    const d: any = (sampleEvent('dynamodb-stream', { table: 'T' }, NOW) as any).Records[0];
    expect(d).toMatchObject({ eventName: 'INSERT', eventSource: 'aws:dynamodb' });
    expect(d.eventSourceARN).toMatch(/^arn:aws:dynamodb:us-east-1:123456789012:table\/T\/stream\//);
    const k: any = (sampleEvent('kinesis', { body: 'hi', stream: 's' }, NOW) as any).Records[0];
    expect(Buffer.from(k.kinesis.data, 'base64').toString()).toBe('hi');
    expect(k.kinesis.sequenceNumber).toMatch(/^\d{56}$/);
    expect(k.eventSourceARN).toBe('arn:aws:kinesis:us-east-1:123456789012:stream/s');
  });

  test('an unknown kind names the kinds', () => {
    expect(() => sampleEvent('s3')).toThrow(/unknown event kind "s3"; one of s3-put, sqs, sns/);
  });
});

// Sample events by kind, like `sam local generate-event`, plus the kinds it lacks (EventBridge, function URLs).
// Adding a kind is one file and one line here.
import { apigwHttp } from './apigw-http';
import { apigwRest } from './apigw-rest';
import { EventContext, EventOptions, eventContext } from './context';
import { dynamodbStream } from './dynamodb-stream';
import { eventbridge } from './eventbridge';
import { functionUrl } from './function-url';
import { kinesis } from './kinesis';
import { s3Put } from './s3-put';
import { sns } from './sns';
import { sqs } from './sqs';

export type { EventOptions } from './context';

export const EVENT_KINDS: { readonly [kind: string]: (c: EventContext) => object } = {
  's3-put': s3Put,
  'sqs': sqs,
  'sns': sns,
  'apigw-http': apigwHttp,
  'apigw-rest': apigwRest,
  'function-url': functionUrl,
  'eventbridge': eventbridge,
  'dynamodb-stream': dynamodbStream,
  'kinesis': kinesis,
};

/** The sample event of `kind`; throws naming the kinds for an unknown one. */
export function sampleEvent(kind: string, options: EventOptions = {}, now = new Date()): object {
  const make = EVENT_KINDS[kind];
  if (!make) throw new Error(`unknown event kind "${kind}"; one of ${Object.keys(EVENT_KINDS).join(', ')}`);
  return make(eventContext(options, now));
}

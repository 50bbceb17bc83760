// EventBridge event (rule target); `sam local generate-event` has none.
// @see https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html
import { EventContext } from './context';

export function eventbridge(c: EventContext): object {
  let detail: unknown = { orderId: 'o-1001', status: 'CREATED' };
  if (c.o.body !== undefined) {
    try { detail = JSON.parse(c.o.body); } catch { throw new Error(`--body for an eventbridge event is its detail and must be JSON: ${c.o.body}`); }
  }
  return {
    'version': '0',
    'id': c.uuid('event'),
    'detail-type': c.o.detailType ?? 'Order Created',
    'source': c.o.source ?? 'com.example.orders',
    'account': c.o.account,
    'time': c.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'region': c.o.region,
    'resources': [],
    detail,
  };
}

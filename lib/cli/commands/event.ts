// `cdk-container-function event <kind>`: prints a realistic sample event, as `sam local generate-event`,
// including the kinds SAM lacks (eventbridge, function-url). Pipe it to `invoke --event -`.
import { Command } from 'commander';
import { EVENT_KINDS, sampleEvent } from '../../local/events';

export function configureEventCommand(command: Command): Command {
  return command
    .description('print a sample Lambda event')
    .argument('<kind>', Object.keys(EVENT_KINDS).join(' | '))
    .option('--region <region>', 'region in ARNs and records', 'us-east-1')
    .option('--account <id>', 'account id in ARNs', '123456789012')
    .option('--bucket <name>', 's3-put: bucket')
    .option('--key <key>', 's3-put: object key')
    .option('--body <text>', 'message body, record data, request body, or (eventbridge) the detail JSON')
    .option('--queue <name>', 'sqs: queue name')
    .option('--topic <name>', 'sns: topic name')
    .option('--table <name>', 'dynamodb-stream: table name')
    .option('--stream <name>', 'kinesis: stream name')
    .option('--partition-key <key>', 'kinesis: partition key')
    .option('--method <method>', 'apigw-http, apigw-rest, function-url: HTTP method')
    .option('--path <path>', 'apigw-http, apigw-rest, function-url: path and query, e.g. /items/42?verbose=true')
    .option('--source <source>', 'eventbridge: source')
    .option('--detail-type <type>', 'eventbridge: detail-type')
    .action((kind: string, opts: { [k: string]: string }) => {
      try {
        process.stdout.write(JSON.stringify(sampleEvent(kind, opts), null, 2) + '\n');
      } catch (e) {
        command.error((e as Error).message, { exitCode: 2 });
      }
    });
}

import type { Context } from 'aws-lambda';
import { z } from 'zod';

const Greeting = z.object({ name: z.string().min(1).max(64), language: z.enum(['en', 'fr']).default('en') });

/** Greets by name; rejects malformed events with a readable message. */
export const handler = async (event: unknown, context: Context) => {
  const input = Greeting.parse(event);
  const word = input.language === 'fr' ? 'Bonjour' : 'Hello';
  return { message: `${word}, ${input.name}!`, requestId: context.awsRequestId };
};

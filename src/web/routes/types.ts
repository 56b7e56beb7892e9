// A portal route module: one area of pages and their API, registered by name in ./index.ts.
import type { FastifyInstance } from 'fastify';
import type { WebDeps } from '../context';

export interface WebRoute {
  readonly name: string;
  register(app: FastifyInstance, deps: WebDeps): void;
}

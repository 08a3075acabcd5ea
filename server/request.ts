// The request helpers every route module shares (the authenticated context, the error shape), apart from
// app.ts so that route modules do not import the app that registers them.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuthContext, AuthError, UNAUTHORIZED_MESSAGE } from './auth/accounts';

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
  }
}

/** The authenticated context of a request that passed requireAuth/requireSync. */
export function authOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new AuthError(401, 'UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
  return request.auth;
}

/** Errors of the HTTP API: `{ "error": code, "message": Chinese text }`. */
export function apiError(reply: FastifyReply, status: number, error: string, message: string) {
  return reply.code(status).send({ error, message });
}

// The request helpers every route module shares (the authenticated context, the error shape), apart from
// app.ts so that route modules do not import the app that registers them.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuthContext, AuthError } from './auth/accounts';

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
  }
}

/** The authenticated context of a request that passed requireAuth/requireSync. */
export function authOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new AuthError(401, 'UNAUTHORIZED', '未登录或登录已过期，请重新登录');
  return request.auth;
}

/** Errors of the HTTP API: `{ "error": code, "message": Chinese text }`. */
export function apiError(reply: FastifyReply, status: number, error: string, message: string) {
  return reply.code(status).send({ error, message });
}

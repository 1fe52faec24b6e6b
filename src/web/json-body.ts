import express, { type Request, type RequestHandler } from 'express';
import { HttpInputError } from './http-errors.js';

/** Request bodies of the API are a few small fields. @defaultValue 16 KiB */
export const JSON_BODY_LIMIT = 16 * 1024;

/**
 * Parses `application/json` bodies up to the limit, for the API routes only: a global parser
 * would consume the raw bodies that Slack's and Discord's signature checks need.
 */
export function jsonBody(limit = JSON_BODY_LIMIT): RequestHandler {
  // Not strict: a JSON string or number parses, and the schema then says "must be a JSON object
  // (got a string)" instead of a parser's "unexpected token".
  return express.json({ limit, strict: false, type: 'application/json' });
}

/** A route that needs a body refuses any other content type with 415, naming what it wants. */
export const requireJson: RequestHandler = (req, _res, next) => {
  next(req.is('application/json') ? undefined : notJson(req));
};

/**
 * A route whose body is optional takes none or JSON: a body of another type (a form's
 * `reason=…`) is refused with 415 rather than ignored, so nothing sent is silently dropped.
 */
export const jsonIfAnyBody: RequestHandler = (req, _res, next) => {
  // `is` answers null when the request has no body at all.
  next(req.is('application/json') === false ? notJson(req) : undefined);
};

function notJson(req: Request): HttpInputError {
  const given = req.headers['content-type'];
  const got = given ? ` (got ${given.slice(0, 60)})` : '';
  return new HttpInputError(415, `Send the body as JSON with Content-Type: application/json${got}.`);
}

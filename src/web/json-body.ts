import express, { type RequestHandler } from 'express';
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
  if (req.is('application/json')) {
    next();
    return;
  }
  const given = req.headers['content-type'];
  const got = given ? ` (got ${given.slice(0, 60)})` : '';
  next(new HttpInputError(415, `Send the body as JSON with Content-Type: application/json${got}.`));
};

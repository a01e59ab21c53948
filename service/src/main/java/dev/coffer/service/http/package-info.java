/**
 * The HTTP conventions every Coffer server installs through {@link CofferHttp}: one error format,
 * bearer authentication, no caching of responses, strict request parsing and a body size cap.
 */
package dev.coffer.service.http;

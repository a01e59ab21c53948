/**
 * From a request's method and target to where it goes: a pure function of the request line,
 * refusing what no Coffer server accepts before anything is forwarded.
 */
package dev.coffer.routing.route;

/**
 * The one domain exception, its stable error codes with their HTTP statuses, and the one error body
 * every Coffer server writes, free of any server framework.
 */
package dev.coffer.core.error;

/** Logging rules every Coffer server applies, whatever its logging configuration says. */
package dev.coffer.service.logging;

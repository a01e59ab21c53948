/** The blocks of the router's configuration file. */
package dev.coffer.routing.config;

/** What a data-plane host serves on its admin port besides Dropwizard's health and metrics. */
package dev.coffer.dataplane.admin;

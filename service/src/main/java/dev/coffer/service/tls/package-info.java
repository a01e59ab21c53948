/**
 * Mutual TLS on the servers' API ports: the {@code mtls} connector type ({@link
 * MtlsConnectorFactory}), which serves with the cluster's reloading key material and admits only
 * clients holding a certificate of the cluster CA, with its metrics and health check.
 */
package dev.coffer.service.tls;

/**
 * TLS key material read from files and reloaded when they change, for servers and clients alike.
 *
 * <p>{@link dev.coffer.pki.tls.ReloadingTlsMaterial} is the entry point: start it on a {@link
 * dev.coffer.pki.tls.TlsFiles} (chain, key, CA bundle) and hand its {@code sslContext()} (or, for
 * Netty's builder, its key and trust manager factories) to the server or client. Each change of the
 * files' content becomes a new immutable {@link dev.coffer.pki.tls.TlsMaterial} generation:
 *
 * <pre>
 *   files ──(every 5 s: SHA-256 of the three)──▶ changed? ──load──▶ ok ──▶ generation n+1
 *                                                                 └─▶ bad ─▶ keep n, count, log once
 *
 *   sslContext() ─▶ ReloadingSslContextSpi ─▶ SSLContext of generation n   (own session cache)
 *                                               └─ ReloadingKeyManager   ─▶ key, chain of n
 *                                               └─ ReloadingTrustManager ─▶ PKIX over CAs of n
 * </pre>
 *
 * Every engine, socket, socket factory and server socket handed out starts new connections on the
 * newest generation's context, so a session made under replaced material (a CA since removed, a
 * certificate since renewed) is never resumed. Connections already open keep their session.
 *
 * <p>The key manager names its key {@code coffer-<generation>}; the previous generation is kept, so
 * a handshake that chose its alias just before a reload finishes with a matching key and chain.
 */
package dev.coffer.pki.tls;

/**
 * The cluster PKI: one CA that signs the certificate of every router, data-plane host, control
 * plane and operator, so every hop between Coffer's servers can be mutual TLS.
 *
 * <ul>
 *   <li>{@link dev.coffer.pki.CertificateAuthority}: creates, stores and loads the CA (ECDSA P-256,
 *       SHA256withECDSA, basicConstraints CA pathLen 0, keyCertSign and cRLSign, 10 years); issues
 *       and renews role certificates.
 *   <li>{@link dev.coffer.pki.Role} and {@link dev.coffer.pki.ClusterIdentity}: what a certificate
 *       says its holder is, as the SAN URI {@code coffer://<role>/<name>}, and the parser
 *       authorization uses to read it back.
 *   <li>{@link dev.coffer.pki.CertificateRequest}, {@link dev.coffer.pki.Validity}, {@link
 *       dev.coffer.pki.IssuedCredential}: what to issue, for how long, and the key with its chain.
 *   <li>{@link dev.coffer.pki.Pem}, {@link dev.coffer.pki.OwnerOnlyFiles}: the file formats and how
 *       they are written (atomically; keys rw------- from the moment they exist).
 *   <li>{@link dev.coffer.pki.LocalPki}: the whole PKI of a local deployment, made on first start.
 *   <li>{@link dev.coffer.pki.tls}: key material for servers and clients, reloaded when its files
 *       change; {@link dev.coffer.pki.cli}: the operator's commands.
 * </ul>
 *
 * <h2>A role certificate</h2>
 *
 * <pre>
 *   subject      CN=&lt;name&gt;, OU=&lt;role&gt;, O=Coffer
 *   serial       128 random bits
 *   validity     90 days by default, starting 5 minutes back (clock skew)
 *   basicConstraints  CA:false (critical)
 *   keyUsage     digitalSignature (critical)
 *   extKeyUsage  router, host, control-plane: serverAuth, clientAuth; operator: clientAuth
 *   SAN          URI coffer://&lt;role&gt;/&lt;name&gt;, then the DNS names and IP addresses given
 * </pre>
 *
 * Only the URI identifies the holder; the subject repeats it for people. A certificate with no or
 * several {@code coffer://} URIs identifies nobody.
 *
 * <p>No private key appears in {@code toString()}, a log line or an exception message.
 */
package dev.coffer.pki;

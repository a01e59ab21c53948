package dev.coffer.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.util.IPAddress;

/**
 * What a role certificate should say: whose it is, the DNS names and IP addresses it is valid for,
 * and when. Servers (routers, hosts, control planes) need at least one DNS name or IP address,
 * since clients check the address they dialled against it.
 */
public record CertificateRequest(
    ClusterIdentity identity,
    List<String> dnsNames,
    List<InetAddress> ipAddresses,
    Validity validity) {

  private static final Pattern DNS_NAME =
      Pattern.compile(
          "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  public CertificateRequest {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(validity, "validity");
    dnsNames = List.copyOf(dnsNames);
    ipAddresses = List.copyOf(ipAddresses);
    for (String dns : dnsNames) {
      if (!DNS_NAME.matcher(dns).matches()) {
        throw new IllegalArgumentException("not a DNS name: " + dns);
      }
    }
    if (identity.role().isServer() && dnsNames.isEmpty() && ipAddresses.isEmpty()) {
      throw new IllegalArgumentException(
          "a "
              + identity.role().segment()
              + " certificate needs at least one DNS name or IP address (what its clients dial)");
    }
  }

  /**
   * The address written as an IP literal; never a host name, which would be resolved.
   *
   * @throws IllegalArgumentException if {@code literal} is not an IPv4 or IPv6 address
   */
  public static InetAddress ipAddress(String literal) {
    if (literal == null || !IPAddress.isValid(literal)) {
      throw new IllegalArgumentException("not an IP address: " + literal);
    }
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + literal);
    }
  }
}

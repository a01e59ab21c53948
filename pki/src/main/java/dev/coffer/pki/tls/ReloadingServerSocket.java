package dev.coffer.pki.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS server socket that accepts plain TCP connections and runs each one's TLS with the context
 * of the newest material generation, applying this socket's settings.
 *
 * <p>The JDK's own server socket keeps the context it was made with for its whole life, and with it
 * that context's session tickets: a client whose CA was removed from the bundle after it connected
 * could still resume its session there. Here a new connection never meets the session cache of
 * material that has been replaced.
 */
final class ReloadingServerSocket extends SSLServerSocket {
  private final Supplier<SSLContext> current;
  private SSLParameters parameters;
  private boolean useClientMode;
  private boolean enableSessionCreation = true;

  ReloadingServerSocket(Supplier<SSLContext> current) throws IOException {
    super();
    this.current = current;
    this.parameters = current.get().getDefaultSSLParameters();
  }

  ReloadingServerSocket(Supplier<SSLContext> current, int port, int backlog, InetAddress address)
      throws IOException {
    super(port, backlog, address);
    this.current = current;
    this.parameters = current.get().getDefaultSSLParameters();
  }

  @Override
  public Socket accept() throws IOException {
    Socket plain = new Socket();
    implAccept(plain);
    try {
      synchronized (this) {
        SSLSocket socket =
            (SSLSocket) current.get().getSocketFactory().createSocket(plain, null, true);
        socket.setUseClientMode(useClientMode);
        socket.setSSLParameters(parameters);
        socket.setEnableSessionCreation(enableSessionCreation);
        return socket;
      }
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  @Override
  public synchronized SSLParameters getSSLParameters() {
    return copy(parameters);
  }

  @Override
  public synchronized void setSSLParameters(SSLParameters newParameters) {
    SSLParameters merged = copy(parameters);
    if (newParameters.getCipherSuites() != null) {
      merged.setCipherSuites(newParameters.getCipherSuites());
    }
    if (newParameters.getProtocols() != null) {
      merged.setProtocols(newParameters.getProtocols());
    }
    if (newParameters.getNeedClientAuth()) {
      merged.setNeedClientAuth(true);
    } else if (newParameters.getWantClientAuth()) {
      merged.setWantClientAuth(true);
    } else {
      merged.setWantClientAuth(false);
    }
    merged.setEndpointIdentificationAlgorithm(newParameters.getEndpointIdentificationAlgorithm());
    merged.setAlgorithmConstraints(newParameters.getAlgorithmConstraints());
    if (newParameters.getServerNames() != null) {
      merged.setServerNames(newParameters.getServerNames());
    }
    if (newParameters.getSNIMatchers() != null) {
      merged.setSNIMatchers(newParameters.getSNIMatchers());
    }
    merged.setUseCipherSuitesOrder(newParameters.getUseCipherSuitesOrder());
    merged.setApplicationProtocols(newParameters.getApplicationProtocols());
    merged.setEnableRetransmissions(newParameters.getEnableRetransmissions());
    merged.setMaximumPacketSize(newParameters.getMaximumPacketSize());
    parameters = merged;
  }

  @Override
  public synchronized String[] getEnabledCipherSuites() {
    return parameters.getCipherSuites().clone();
  }

  @Override
  public synchronized void setEnabledCipherSuites(String[] suites) {
    parameters.setCipherSuites(suites.clone());
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return current.get().getSupportedSSLParameters().getCipherSuites();
  }

  @Override
  public String[] getSupportedProtocols() {
    return current.get().getSupportedSSLParameters().getProtocols();
  }

  @Override
  public synchronized String[] getEnabledProtocols() {
    return parameters.getProtocols().clone();
  }

  @Override
  public synchronized void setEnabledProtocols(String[] protocols) {
    parameters.setProtocols(protocols.clone());
  }

  @Override
  public synchronized void setNeedClientAuth(boolean need) {
    parameters.setNeedClientAuth(need);
  }

  @Override
  public synchronized boolean getNeedClientAuth() {
    return parameters.getNeedClientAuth();
  }

  @Override
  public synchronized void setWantClientAuth(boolean want) {
    parameters.setWantClientAuth(want);
  }

  @Override
  public synchronized boolean getWantClientAuth() {
    return parameters.getWantClientAuth();
  }

  @Override
  public synchronized void setUseClientMode(boolean mode) {
    useClientMode = mode;
  }

  @Override
  public synchronized boolean getUseClientMode() {
    return useClientMode;
  }

  @Override
  public synchronized void setEnableSessionCreation(boolean enable) {
    enableSessionCreation = enable;
  }

  @Override
  public synchronized boolean getEnableSessionCreation() {
    return enableSessionCreation;
  }

  private static SSLParameters copy(SSLParameters source) {
    SSLParameters copy = new SSLParameters(source.getCipherSuites(), source.getProtocols());
    if (source.getNeedClientAuth()) {
      copy.setNeedClientAuth(true);
    } else if (source.getWantClientAuth()) {
      copy.setWantClientAuth(true);
    }
    copy.setEndpointIdentificationAlgorithm(source.getEndpointIdentificationAlgorithm());
    copy.setAlgorithmConstraints(source.getAlgorithmConstraints());
    if (source.getServerNames() != null) {
      copy.setServerNames(source.getServerNames());
    }
    if (source.getSNIMatchers() != null) {
      copy.setSNIMatchers(source.getSNIMatchers());
    }
    copy.setUseCipherSuitesOrder(source.getUseCipherSuitesOrder());
    copy.setApplicationProtocols(source.getApplicationProtocols());
    copy.setEnableRetransmissions(source.getEnableRetransmissions());
    copy.setMaximumPacketSize(source.getMaximumPacketSize());
    return copy;
  }
}

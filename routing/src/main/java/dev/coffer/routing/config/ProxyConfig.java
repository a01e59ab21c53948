package dev.coffer.routing.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.routing.proxy.ProxySettings;
import dev.coffer.service.http.CofferHttp;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The data path's timeouts and limits ({@code proxy:}); see {@link ProxySettings}. */
public class ProxyConfig {
  @NotNull @JsonProperty private Duration connectTimeout = Duration.seconds(1);
  @NotNull @JsonProperty private Duration firstByteTimeout = Duration.seconds(10);
  @NotNull @JsonProperty private Duration requestTimeout = Duration.seconds(30);
  @NotNull @JsonProperty private Duration clientIdleTimeout = Duration.seconds(30);
  @NotNull @JsonProperty private Duration clientRequestReadTimeout = Duration.seconds(10);
  @NotNull @JsonProperty private Duration upstreamIdleTimeout = Duration.seconds(20);

  @Min(1)
  @JsonProperty
  private int maxConnectionsPerUpstream = 64;

  /** 0: Netty's default, twice the processors. */
  @Min(0)
  @JsonProperty
  private int workerThreads = 0;

  @JsonProperty private boolean preserveClientRequestId = false;

  public ProxySettings settings() {
    return new ProxySettings(
        connectTimeout.toJavaDuration(),
        firstByteTimeout.toJavaDuration(),
        requestTimeout.toJavaDuration(),
        clientIdleTimeout.toJavaDuration(),
        clientRequestReadTimeout.toJavaDuration(),
        upstreamIdleTimeout.toJavaDuration(),
        maxConnectionsPerUpstream,
        (int) CofferHttp.MAX_BODY_BYTES,
        preserveClientRequestId);
  }

  public int workerThreads() {
    return workerThreads;
  }
}

package dev.coffer.routing.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.net.InetSocketAddress;

/** Where the router takes client requests. Plain HTTP is allowed only on a loopback address. */
public class ListenConfig {
  @NotEmpty @JsonProperty private String host = "127.0.0.1";

  /** 0 picks a free port (tests). */
  @Min(0)
  @Max(65_535)
  @JsonProperty
  private int port = 8480;

  public InetSocketAddress address() {
    return new InetSocketAddress(host, port);
  }
}
